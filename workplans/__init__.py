"""Outcome-based workplans: demand and targets by region computed from the CPOs, review,
mid-term review and reallocations, and published figures compared with the records."""
