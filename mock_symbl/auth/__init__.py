"""Authentication: /oauth2/token:generate|refresh|revoke and token checks."""
