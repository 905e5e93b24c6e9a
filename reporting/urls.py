from django.urls import path

from reporting import views
from reporting.dashboards import views as dashboards

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_run, name="request"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run-retry"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("snapshots/<int:pk>/download/<str:fmt>/", views.snapshot_download, name="download"),
    path("snapshots/<int:pk>/read/", views.snapshot_read, name="read"),
    path("snapshots/<int:pk>/final/", views.snapshot_final, name="final"),
    path("compare/", views.compare, name="compare"),
    path("dashboards/", dashboards.dashboard_page, name="dashboard"),
    path("dashboards/map/", dashboards.map_page, name="map"),
    path("dashboards/<str:scope>/<str:pk>/", dashboards.dashboard_page, name="dashboard-of"),
]
