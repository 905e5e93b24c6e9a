"""Addresses of the evaluation and lesson pages (``evaluations:`` namespace)."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("list/", views.evaluation_list, name="evaluation-list"),
    path("export/", views.evaluations_export, name="export"),
    path("new/", views.evaluation_create, name="evaluation-create"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("<int:pk>/edit/", views.evaluation_edit, name="evaluation-edit"),
    path("<int:pk>/report/", views.evaluation_report, name="evaluation-report"),
    path("<int:pk>/report/upload/", views.evaluation_report_upload, name="report-upload"),
    path("<int:pk>/steps/<slug:step>/", views.evaluation_step, name="evaluation-step"),
    path("<int:pk>/recommendations/", views.recommendation_add, name="recommendation-add"),
    path(
        "recommendations/<int:pk>/response/",
        views.recommendation_respond,
        name="recommendation-respond",
    ),
    path("recommendations/<int:pk>/actions/", views.follow_up_add, name="follow-up-add"),
    path("actions/<int:pk>/status/", views.follow_up_status, name="follow-up-status"),
    path("lessons/new/", views.lesson_create, name="lesson-create"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson-detail"),
    path("lessons/<int:pk>/validate/", views.lesson_validate, name="lesson-validate"),
    path(
        "strategies/<int:outcome>/<int:biennium>/lessons/",
        views.strategy_lesson,
        name="strategy-lesson",
    ),
]
