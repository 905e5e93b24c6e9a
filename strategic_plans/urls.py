from django.urls import path

from strategic_plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome-detail"),
    path("plans/<int:pk>/translations/", views.plan_translations, name="plan-translations"),
]
