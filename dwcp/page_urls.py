"""Addresses of the country programme pages (``dwcp:`` namespace)."""

from django.urls import path

from dwcp import views

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create, name="programme-create"),
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("<int:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("<int:pk>/phase/", views.programme_phase, name="programme-phase"),
    path("<int:pk>/publish/", views.programme_publish, name="programme-publish"),
    path("<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("cpos/", views.cpo_list, name="cpo-list"),
    path("<int:pk>/cpos/new/", views.cpo_create, name="cpo-create"),
    path("cpos/<int:pk>/", views.cpo_detail, name="cpo-detail"),
    path("cpos/<int:pk>/edit/", views.cpo_edit, name="cpo-edit"),
    path("cpos/<int:pk>/progress/new/", views.progress_create, name="progress-create"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress-edit"),
    path("progress/<int:pk>/submit/", views.progress_submit, name="progress-submit"),
    path("validation/", views.validation_queue, name="validation-queue"),
]
