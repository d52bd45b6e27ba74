"""Where the control plane lives: its path prefix, OpenAPI tag and the probes' paths.

Constants only, so the edge guard, the boot gate and the probes can use them without loading the admin API.
"""

ADMIN_PREFIX = "/__admin"
ADMIN_TAG = "Admin"
PROBE_PATHS = frozenset({f"{ADMIN_PREFIX}/health", f"{ADMIN_PREFIX}/ready"})
