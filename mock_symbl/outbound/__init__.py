"""Outbound calls (webhooks, media URLs): which addresses may be reached, and bounded requests to them."""
