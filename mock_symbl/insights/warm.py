"""Load the NLP libraries ahead of the first request that needs them (a background thread after start).

The engine imports yake (numpy, networkx), segtok and the stemmers on first use, so a server starts without
them (docs/PERFORMANCE.md, cold start). Without a warm-up the first insights read of a fresh process would pay
those imports (~300 ms); `warm_up` pays them in the background instead, once the server is answering.
"""

from __future__ import annotations

import importlib

# What the first bundle computation would otherwise import on the request path.
MODULES = ("mock_symbl.insights.engine", "yake", "segtok.segmenter", "snowballstemmer")


def warm_up() -> None:
    """Import the engine and the libraries it loads lazily, and build the stemmer."""
    for name in MODULES:
        importlib.import_module(name)
    from mock_symbl.insights.text import _stemmer

    _stemmer()
