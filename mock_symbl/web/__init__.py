"""Web UI (dashboard, conversation and experience pages), the Experience API and the published specs.

The dashboard and admin conversation pages honour settings.admin_token (pages.py); the experience pages, their
static files and the demo recordings stay open: an experience URL carries its own signed token.
"""
