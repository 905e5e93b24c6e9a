"""The evaluations' API endpoints, mounted under /api/v1/ by ``rbm.api.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from evaluations.api import views

router = SimpleRouter()
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("lessons", views.LessonViewSet, basename="lesson")

urlpatterns = [
    *router.urls,
    path("search/", views.SearchView.as_view(), name="evaluation-search"),
]
