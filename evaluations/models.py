"""Evaluations, recommendations with management responses and follow-up actions, lessons
learned and good practices. Sits between ``cooperation`` and ``workplans`` in the app order."""
