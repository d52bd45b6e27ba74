"""Conversation API: /v1/conversations/*."""
