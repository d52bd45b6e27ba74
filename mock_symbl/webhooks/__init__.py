"""Webhook callbacks for job status changes, with a delivery log (rest.md §4.3)."""
