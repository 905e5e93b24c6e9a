"""Development cooperation: donors, projects, their links to country programme outcomes,
appraisal for DWCP relevance, funding gaps and delivery. Sits between ``dwcp`` and
``evaluations`` in the app order."""
