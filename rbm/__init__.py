"""The project package and the shared core: regions, countries, offices, bienniums, funding
sources, users and roles, permissions and audit helpers."""

from rbm.celery import app as celery_app

__all__ = ["celery_app"]
