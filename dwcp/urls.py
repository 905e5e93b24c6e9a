"""Addresses of the country programme pages (``dwcp:`` namespace)."""

from django.urls import path

from dwcp import views

app_name = "dwcp"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create, name="programme-create"),
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("<int:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("<int:pk>/phase/", views.programme_phase, name="programme-phase"),
    path("<int:pk>/signed-document/", views.programme_document, name="programme-document"),
    path("progress/<int:pk>/evidence/", views.progress_evidence, name="progress-evidence"),
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
    path("calendar/", views.calendar, name="calendar"),
    path("reminders/", views.reminders, name="reminders"),
    # The CPO spreadsheets: export, import, and each import while a worker runs it.
    path("cpos/export/", views.cpo_export, name="cpo-export"),
    path("cpos/import/", views.cpo_import, name="cpo-import"),
    path("cpos/imports/<int:pk>/", views.cpo_import_detail, name="cpo-import-detail"),
    path("cpos/imports/<int:pk>/status/", views.cpo_import_status, name="cpo-import-status"),
    path("cpos/imports/<int:pk>/retry/", views.cpo_import_retry, name="cpo-import-retry"),
]
