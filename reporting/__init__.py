"""The programme implementation report: runs compiled by Celery, immutable snapshots,
exports for the Governing Body."""
