"""Addresses of the development cooperation pages (``cooperation:`` namespace)."""

from django.urls import path

from cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_create, name="project-create"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/step/", views.project_step, name="project-step"),
    path("<int:pk>/appraise/", views.project_appraise, name="project-appraise"),
    path("funding/", views.funding_region, name="funding-region"),
    path("export/", views.project_export, name="project-export"),
    path("import/", views.project_import, name="project-import"),
    path("mobilization/", views.mobilization, name="mobilization"),
]
