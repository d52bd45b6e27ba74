"""mock-symbl: a self-hosted, deterministic emulator of the Symbl.ai API."""

from importlib import metadata

try:  # one source of truth: the version in pyproject.toml, as installed into the package metadata
    __version__ = metadata.version("mock-symbl")
except metadata.PackageNotFoundError:  # a source tree that was never installed (make always installs)
    __version__ = "0+unknown"
