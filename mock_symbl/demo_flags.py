"""The `mock-symbl demo` flags, apart from the loader so the command line builds its parser without it."""

from __future__ import annotations

import argparse

DEFAULT_APP_ID = "demo"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--app-id", default=DEFAULT_APP_ID, help="account (token app id) to load the packs into"
    )
    parser.add_argument("--namespace", default="", help="X-Mock-Namespace to load into (default none)")
    parser.add_argument(
        "--serve",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="serve after loading (default); --no-serve loads into the database file and exits, "
        "e.g. into the database of a server already running",
    )
