from django.urls import path

from strategic_plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome-detail"),
    path("plans/<int:pk>/translations/", views.plan_translations, name="plan-translations"),
    path("programmes/<str:code>/", views.programme_detail, name="programme-detail"),
    path("programmes/<str:code>/framework.xlsx", views.framework_export, name="framework-export"),
    path(
        "programmes/<str:code>/framework/import/",
        views.framework_import,
        name="framework-import",
    ),
    path("programmes/<str:code>/<str:step>/", views.programme_step, name="programme-step"),
    path("framework/<str:kind>/<int:pk>/texts/", views.texts_edit, name="framework-texts"),
    path("indicators/<int:pk>/targets/<str:code>/", views.target_edit, name="indicator-target"),
]
