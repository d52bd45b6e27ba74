#!/usr/bin/env bash
# docker-check.sh — build the image for real, start it with compose, smoke-test it, tear it down.
#
#   make docker-check                          (also run by .ci/run)
#   MOCK_SYMBL_DOCKER_OPTIONAL=1 make docker-check   # no Docker here is a loud SKIPPED, not a failure
#
# Steps: prepare Docker (../shared/docker/docker-env.sh up, when that helper is beside the repo), build the
# image, `docker compose -f docker-compose.yml -f compose.ci.yml up -d --wait` on two free ports (host
# networking: these machines have no bridge network), run scripts/smoke.py against it (REST flow + one
# WebSocket session), check the TLS port (compose.transparent.yml) with the CA the container made, run the README's Testcontainers recipe (tests/docker/test_testcontainers.py: Ryuk, the
# reaper container, is off since no registry is reachable here), `docker compose down -v`, stop the dockerd only if this script started it, print the
# image size. Any failure prints the container's log and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$(date +%s)
say() { echo "[docker-check +$(( $(date +%s) - T0 ))s] $*"; }
banner() { printf '\n%s\n%s\n%s\n\n' "========================================================================" "$*" \
  "========================================================================"; }

ENV_SCRIPT=${DOCKER_ENV_SCRIPT:-../shared/docker/docker-env.sh}
IMAGE=${MOCK_SYMBL_IMAGE:-mock-symbl:check}
PROJECT=mock-symbl-check-$$
# compose.transparent.yml too: the image must also serve TLS (on a free port here, 443 on a compose network)
COMPOSE=(docker compose -p "$PROJECT" -f docker-compose.yml -f compose.transparent.yml -f compose.ci.yml)
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
LOG_DIR=${TMPDIR:-/tmp}/mock-symbl-docker-check
mkdir -p "$LOG_DIR"

no_docker() {
  if [ "${MOCK_SYMBL_DOCKER_OPTIONAL:-0}" = 1 ]; then
    banner "SKIPPED: docker-check did not run: $1"
    exit 0
  fi
  banner "FAILED: Docker is not available here: $1 (set MOCK_SYMBL_DOCKER_OPTIONAL=1 to skip instead)" >&2
  exit 1
}

# ---- 1. Docker: reuse a running engine, else start one with the shared helper
started_dockerd=0
docker info >/dev/null 2>&1 || started_dockerd=1
if [ -f "$ENV_SCRIPT" ]; then
  say "preparing Docker with $ENV_SCRIPT up"
  if ! bash "$ENV_SCRIPT" up >"$LOG_DIR/docker-env.log" 2>&1; then
    tail -20 "$LOG_DIR/docker-env.log" >&2
    [ "$started_dockerd" = 1 ] && bash "$ENV_SCRIPT" down >/dev/null 2>&1 || true
    no_docker "$ENV_SCRIPT up failed (log: $LOG_DIR/docker-env.log)"
  fi
elif [ "$started_dockerd" = 1 ]; then
  no_docker "no running Docker engine and no $ENV_SCRIPT to start one"
fi
docker compose version >/dev/null 2>&1 || no_docker "the docker compose v2 plugin is missing"

cleanup() {
  status=$?
  if [ "$status" -ne 0 ] && [ -n "${COMPOSE_UP:-}" ]; then
    echo "---- container log (last 60 lines)" >&2
    "${COMPOSE[@]}" logs --no-color --tail 60 >&2 2>&1 || true
  fi
  if [ -n "${COMPOSE_UP:-}" ]; then
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    say "compose down -v done"
  fi
  if [ "$started_dockerd" = 1 ] && [ -f "$ENV_SCRIPT" ]; then
    bash "$ENV_SCRIPT" down >/dev/null 2>&1 || true
    say "stopped the dockerd this script started"
  fi
  exit "$status"
}
trap cleanup EXIT

# ---- 2. free ports for the main API, the Labs host and TLS (host networking: the container binds them)
read -r PORT LABS_PORT TLS_PORT < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
')
export MOCK_SYMBL_PORT=$PORT MOCK_SYMBL_LABS_PORT=$LABS_PORT MOCK_SYMBL_TLS_PORT=$TLS_PORT MOCK_SYMBL_IMAGE=$IMAGE

# ---- 3. build (the compose file's build section, with compose.ci.yml's host network)
say "building $IMAGE"
if ! "${COMPOSE[@]}" build >"$LOG_DIR/build.log" 2>&1; then
  tail -40 "$LOG_DIR/build.log" >&2
  banner "FAILED: docker build (log: $LOG_DIR/build.log)" >&2
  exit 1
fi
say "built $IMAGE"

# ---- 4. start and wait for the healthcheck
COMPOSE_UP=1
say "compose up --wait on 127.0.0.1:$PORT (Labs :$LABS_PORT)"
if ! "${COMPOSE[@]}" up -d --no-build --wait --wait-timeout 90 >"$LOG_DIR/up.log" 2>&1; then
  cat "$LOG_DIR/up.log" >&2
  banner "FAILED: the container did not become healthy" >&2
  exit 1
fi
container=$("${COMPOSE[@]}" ps -q mock-symbl)
say "healthy: $(docker inspect -f '{{.State.Health.Status}} as user {{.Config.User}}' "$container")"

# ---- 5. smoke flow
"$PY" scripts/smoke.py --base-url "http://127.0.0.1:$PORT" --labs-url "http://127.0.0.1:$LABS_PORT"

# ---- 5b. the TLS port: Symbl's host names over HTTPS, verified with the CA the container made in its volume
say "TLS on 127.0.0.1:$TLS_PORT"
"${COMPOSE[@]}" cp mock-symbl:/data/tls/ca.pem "$LOG_DIR/ca.pem" >/dev/null
for host in api.symbl.ai api-labs.symbl.ai; do
  if ! curl -fsS --cacert "$LOG_DIR/ca.pem" --resolve "$host:$TLS_PORT:127.0.0.1" \
      "https://$host:$TLS_PORT/__admin/ready" >/dev/null; then
    banner "FAILED: https://$host:$TLS_PORT with the container's CA" >&2
    exit 1
  fi
done
cmp -s "$LOG_DIR/ca.pem" <(curl -fsS "http://127.0.0.1:$PORT/__admin/tls/ca.pem") \
  || { banner "FAILED: /__admin/tls/ca.pem is not the CA in the volume" >&2; exit 1; }

# ---- 6. the README's Testcontainers recipe (Python), against the same image
say "testcontainers recipe"
if ! TESTCONTAINERS_RYUK_DISABLED=true MOCK_SYMBL_TESTCONTAINERS_IMAGE="$IMAGE" \
    "$PY" -m pytest -q -p no:cacheprovider tests/docker/test_testcontainers.py; then
  banner "FAILED: the Testcontainers recipe" >&2
  exit 1
fi

# ---- 7. report (teardown runs in the EXIT trap)
# earlier builds of this image left untagged: drop them so repeated checks do not fill the disk
docker image prune -f --filter label=org.opencontainers.image.title=mock-symbl >/dev/null || true
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
base=$(docker image inspect -f '{{.Size}}' python:3.12-slim 2>/dev/null || echo 0)
say "image $IMAGE: $(( size / 1000000 )) MB ($(( (size - base) / 1000000 )) MB on top of python:3.12-slim)"
banner "docker-check PASSED in $(( $(date +%s) - T0 )) s"
