"""The country programmes' API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from rest_framework.routers import SimpleRouter

from dwcp.api import views

router = SimpleRouter()
router.register("dwcps", views.DwcpViewSet, basename="dwcp")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("cpos", views.CpoViewSet, basename="cpo")
router.register("reporting-periods", views.ReportingPeriodViewSet, basename="reporting-period")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("cpo-imports", views.CpoImportViewSet, basename="cpo-import")

urlpatterns = router.urls
