"""Decent Work Country Programmes: programmes, priorities, country programme outcomes,
milestones, resources and progress reports."""
