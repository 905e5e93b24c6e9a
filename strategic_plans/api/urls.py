"""The results framework's API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from rest_framework.routers import SimpleRouter

from strategic_plans.api import views

router = SimpleRouter()
router.register("strategic-plans", views.StrategicPlanViewSet, basename="strategic-plan")
router.register(
    "strategic-objectives", views.StrategicObjectiveViewSet, basename="strategic-objective"
)
router.register("outcomes", views.OutcomeViewSet, basename="outcome")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("outcome-resources", views.OutcomeResourceViewSet, basename="outcome-resource")
router.register("outcome-strategies", views.OutcomeStrategyViewSet, basename="outcome-strategy")

urlpatterns = router.urls
