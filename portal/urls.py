"""Addresses of the public results portal (``portal:`` namespace), mounted at ``/public/``."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<str:pk>/", views.programme_detail, name="programme-detail"),
    path("outcomes/<str:pk>/", views.outcome_detail, name="outcome-detail"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<str:pk>/<str:fmt>/", views.report_download, name="report-download"),
    path("data/", views.open_data, name="data"),
    path("data/cpos.csv", views.open_data_cpos, name="data-cpos"),
    path("data/iati.xml", views.open_data_iati, name="data-iati"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("language/<str:code>/", views.language, name="language"),
]
