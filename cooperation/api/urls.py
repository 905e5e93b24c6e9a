"""Development cooperation's API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from cooperation.api import views

router = SimpleRouter()
router.register("donors", views.DonorViewSet, basename="donor")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    *router.urls,
    path("funding/regions/", views.RegionFundingView.as_view(), name="funding-region"),
]
