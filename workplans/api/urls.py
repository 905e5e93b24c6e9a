"""The workplans' API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from workplans.api import views

router = SimpleRouter()
router.register("workplans", views.WorkplanViewSet, basename="workplan")
router.register("midterm-reviews", views.MidTermReviewViewSet, basename="midterm-review")
router.register("published-tables", views.PublishedTableViewSet, basename="published-table")

urlpatterns = [
    *router.urls,
    path(
        "demand-target-table/",
        views.DemandTargetTableView.as_view(),
        name="demand-target-table",
    ),
]
