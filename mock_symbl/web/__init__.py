"""Web UI (dashboard, conversation and experience pages), the Experience API and the published specs."""

# Paths under /__admin that must stay open when an admin token is configured: experience pages carry
# their own signed token (the Experience API's URLs) and the static files they load.
PUBLIC_PATH_PREFIXES = ("/__admin/ui/experience/", "/__admin/ui/static/", "/__admin/ui/fixtures/")
