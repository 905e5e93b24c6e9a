"""The project's addresses plus two views that fail, for the 500 answers' tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rbm.urls import handler500 as handler500
from rbm.urls import urlpatterns as project_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug nothing handled")


urlpatterns = [
    path("api/v1/failing/", fail),
    path("failing/", fail),
    *project_urlpatterns,
]
