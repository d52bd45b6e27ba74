# mock-symbl: a self-hosted, deterministic emulator of the Symbl.ai API.
#
#   docker build -t mock-symbl .
#   docker run --rm -p 8080:8080 -p 8081:8081 -v mock-symbl-data:/data mock-symbl
#   docker run --rm -p 8080:8080 -p 8081:8081 mock-symbl mock-symbl demo    # with six demo conversations
#
# Any Debian-based CPython >= 3.11 image works as the base (e.g. --build-arg BASE_IMAGE=python:3.11-slim).
ARG BASE_IMAGE=python:3.12-slim

# ---- build stage: a virtualenv with the dependencies, then the project (no compilers needed: all wheels)
FROM ${BASE_IMAGE} AS build
# labelled like the final image so `docker image prune --filter label=...` finds stale builds of both stages
LABEL org.opencontainers.image.title="mock-symbl"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
# binutils only to strip debug symbols from the wheels' extension modules (about 30 MB less in the image)
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends binutils >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && python -m venv /opt/venv
WORKDIR /src
# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && /opt/venv/bin/pip install -q -r requirements.txt
COPY pyproject.toml README.md* ./
COPY mock_symbl ./mock_symbl
# Then trim what a server never needs: bundled test suites, debug symbols, pip itself, and the bytecode
# of phonenumbers' geocoder/carrier tables (~20 MB; only compiled in memory if someone imports them).
RUN /opt/venv/bin/pip install -q --no-deps --no-compile . \
 && /opt/venv/bin/python -m compileall -q /opt/venv/lib/*/site-packages/mock_symbl \
 && cd /opt/venv/lib/python*/site-packages \
 && find . -depth -type d \( -name tests -o -name test \) -exec rm -rf {} + \
 && find . -name '*.so' -not -path './*.libs/*' -exec strip --strip-unneeded {} + \
 && rm -rf phonenumbers/geodata/__pycache__ phonenumbers/carrierdata/__pycache__ \
 && /opt/venv/bin/pip uninstall -q -y pip setuptools wheel

# ---- runtime stage
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="mock-symbl" \
      org.opencontainers.image.description="Self-hosted, deterministic emulator of the Symbl.ai API" \
      org.opencontainers.image.licenses="MIT"
RUN groupadd --system --gid 10001 mock \
 && useradd --system --uid 10001 --gid mock --home-dir /app --no-create-home --shell /usr/sbin/nologin mock \
 && mkdir -p /app /data \
 && chown mock:mock /data
COPY --from=build /opt/venv /opt/venv
COPY fixtures /app/fixtures
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCK_SYMBL_HOST=0.0.0.0 \
    MOCK_SYMBL_PORT=8080 \
    MOCK_SYMBL_LABS_PORT=8081 \
    MOCK_SYMBL_DATA_DIR=/data \
    MOCK_SYMBL_FIXTURES_DIR=/app/fixtures
VOLUME ["/data"]
EXPOSE 8080 8081
USER 10001:10001
# Reads MOCK_SYMBL_PORT at check time, so a container started on another port still turns healthy.
# Slim images have no curl: urllib raises (exit 1) on a refused connection or any non-2xx answer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__admin/ready' % os.environ.get('MOCK_SYMBL_PORT', '8080'), timeout=2)"]
# One process, one uvicorn worker: the job scheduler lives in the process and SQLite wants a single writer.
CMD ["mock-symbl"]
