"""`mock-symbl import PATH...`: load recorded Symbl traffic into the database file, print what was taken."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mock_symbl.settings import Settings


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",  # checked in run(): the parser is also built without a command line (help, tests)
        metavar="PATH",
        help="recordings: vcrpy/go-vcr YAML, Polly.js or HAR files, nock JSON, folders or zips of "
        "<conversationId>/<resource>.json",
    )
    parser.add_argument("--account", default=None, help="account (app id) to import into (default: imported)")
    parser.add_argument("--namespace", default="", help="X-Mock-Namespace to import into (default none)")
    parser.add_argument(
        "--all-accounts",
        action="store_true",
        help="make the conversations visible to every account (stored under account *)",
    )


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Entry point of `mock-symbl import`: exit 0 when every file was read, 1 otherwise."""
    from mock_symbl.admin import replay
    from mock_symbl.app import create_app
    from mock_symbl.tenancy import SHARED_ACCOUNT

    if not args.paths:
        sys.stderr.write("mock-symbl import: give one or more recordings (files or folders)\n")
        return 2
    if settings.in_memory:
        sys.stderr.write("mock-symbl import: an in-memory database would keep nothing (set --database)\n")
        return 2
    account = SHARED_ACCOUNT if args.all_accounts else (args.account or settings.import_account)
    services = create_app(settings).state.services
    try:
        paths = [(Path(p), p) for p in args.paths]
        report = replay.import_paths(services, paths, account=account, namespace=args.namespace)
    finally:
        services.db.close()
    sys.stdout.write(replay.describe(report) + "\n")
    return 1 if any(f.error for f in report.files) else 0
