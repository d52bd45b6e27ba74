"""Benchmarks: `python -m bench` runs every bench_*.py module's run() and rewrites docs/PERFORMANCE.md."""
