"""Async API: /v1/process/* submits jobs that add messages to conversations."""
