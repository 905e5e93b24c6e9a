"""Addresses of the workplan pages (``workplans:`` namespace)."""

from django.urls import path

from workplans import views

app_name = "workplans"

urlpatterns = [
    path("", views.workplan_list, name="list"),
    path("open/", views.workplans_open, name="open"),
    path("table/", views.demand_target_table, name="table"),
    path("table/export/", views.table_export, name="table-export"),
    path("review/", views.review_queue, name="review-queue"),
    path("published/", views.published, name="published"),
    path("published/<int:pk>/", views.published_detail, name="published-detail"),
    path("<int:pk>/", views.workplan_detail, name="detail"),
    path("<int:pk>/submit/", views.workplan_submit, name="submit"),
    path("<int:pk>/approve/", views.workplan_approve, name="approve"),
    path("<int:pk>/return/", views.workplan_return, name="return"),
    path("<int:pk>/comment/", views.workplan_comment, name="comment"),
    path("<int:pk>/strategy/<int:element>/", views.workplan_strategy, name="strategy"),
    path("<int:pk>/resources/", views.workplan_resources, name="resources"),
    path("<int:pk>/midterm/", views.midterm, name="midterm"),
    path("<int:pk>/midterm/save/", views.midterm_save, name="midterm-save"),
    path("<int:pk>/midterm/actions/", views.midterm_action, name="midterm-action"),
    path(
        "<int:pk>/midterm/reallocations/",
        views.midterm_reallocation,
        name="midterm-reallocation",
    ),
]
