"""Control plane for testers under /__admin."""
