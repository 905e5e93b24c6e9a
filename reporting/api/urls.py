"""The implementation report's API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from rest_framework.routers import SimpleRouter

from reporting.api import views

router = SimpleRouter()
router.register("report-runs", views.ReportRunViewSet, basename="report-run")
router.register("report-snapshots", views.ReportSnapshotViewSet, basename="report-snapshot")

urlpatterns = router.urls
