"""`mock-symbl` command line: every Settings field is a flag (`--port`, `--database`, ...)."""

from __future__ import annotations

import argparse
import gc
import sys
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from mock_symbl import __version__, demo_flags, import_cli
from mock_symbl.settings import Settings
from mock_symbl.store.errors import IncompatibleDatabase


def _is_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and bool in typing.get_args(annotation)


def add_settings_flags(parser: argparse.ArgumentParser, *, subcommand: bool = False) -> None:
    """One flag per Settings field; unset flags leave the env var / default in force.

    The same flags go on the main parser and on every subcommand, so an option works before or after the
    subcommand. A subcommand's flags default to SUPPRESS: argparse copies every attribute of the
    subcommand's namespace over the main one, and a None default there would erase `--port 9000 demo`.
    """
    default = argparse.SUPPRESS if subcommand else None
    for name, field in Settings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        help_text = (field.description or "") + f" (env MOCK_SYMBL_{name.upper()})"
        if _is_bool(field.annotation):
            parser.add_argument(
                flag, dest=name, action=argparse.BooleanOptionalAction, default=default, help=help_text
            )
        else:
            parser.add_argument(flag, dest=name, default=default, help=help_text)


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in vars(args).items() if k in Settings.model_fields and v is not None}
    return Settings(**overrides)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-symbl", description="A self-hosted emulator of the Symbl.ai API."
    )
    parser.add_argument("--version", action="version", version=f"mock-symbl {__version__}")
    sub = parser.add_subparsers(dest="command")
    add_settings_flags(parser)
    serve = sub.add_parser("serve", help="run the server (the default)")
    add_settings_flags(serve, subcommand=True)
    for name, (help_text, _) in COMMANDS.items():
        subparser = sub.add_parser(name, help=help_text)
        add_settings_flags(subparser, subcommand=True)
        if name in COMMAND_FLAGS:
            COMMAND_FLAGS[name](subparser)
    return parser


def _serve(settings: Settings) -> int:
    from mock_symbl.admin.security import exposure_warning
    from mock_symbl.server import MockServer

    server = MockServer(settings, background=settings.background_boot)
    # A long-lived process: startup objects (ORM metadata, fixtures, NLP models) leave the cyclic GC's scans, so
    # full collections stay short (a 150 ms gen-2 pause stalled 100 live streams in bench/bench_streams.py).
    if server.boot.services is None:
        server.boot.on_live.append(gc.freeze)  # once the background boot has loaded them
    else:
        gc.freeze()
    labs = f", Labs on {server.labs_url}" if server.labs_url else ""
    where = "in memory" if settings.in_memory else str(settings.database_path)
    print(f"mock-symbl {__version__} on {server.base_url}{labs} (database {where})", flush=True)
    if server.tls is not None:
        made = "made now" if server.tls.created else "reused"
        trust = f"; trust its CA: {server.tls.ca}" if server.tls.ca else ""
        print(f"TLS on {server.tls_url} (certificate {server.tls.cert}, {made}{trust})", flush=True)
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    server.run()
    error = server.boot.error  # a background boot that failed stops the server (traceback logged)
    if isinstance(error, IncompatibleDatabase):
        print(f"mock-symbl: {error}", file=sys.stderr)
        return 2
    if error is not None:
        print(f"mock-symbl: could not start: {error}", file=sys.stderr)
        return 1
    return 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    return import_cli.run(settings, args)


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from mock_symbl import demo  # the loader and the whole API: only for this command

    return int(demo.run(settings, args))


# Subcommands added by other areas: name -> (help, handler(settings, args) -> exit code)
COMMANDS: dict[str, tuple[str, Any]] = {
    "demo": ("load the demo conversations into an account (--app-id, default demo), then serve", _demo),
    "import": (
        "import recorded Symbl traffic (cassettes, HAR, nock, folders) under its original ids",
        _import,
    ),
}
# Extra flags of a subcommand beyond the settings: name -> configure(subparser)
COMMAND_FLAGS: dict[str, Any] = {
    "demo": demo_flags.configure_parser,
    "import": import_cli.configure_parser,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
    except ValidationError as exc:
        print(f"mock-symbl: invalid setting: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command in COMMANDS:
            handler = COMMANDS[args.command][1]
            return int(handler(settings, args))
        return _serve(settings)
    except IncompatibleDatabase as exc:
        print(f"mock-symbl: {exc}", file=sys.stderr)
        return 2
