"""Metric API (rest.md §7): the two undocumented routes of the generated REST client."""
