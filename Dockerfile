# mock-symbl: a self-hosted, deterministic emulator of the Symbl.ai API.
#
#   docker build -t mock-symbl .
#   docker run --rm -p 8080:8080 -p 8081:8081 -v mock-symbl-data:/data mock-symbl
#   docker run --rm -p 8080:8080 -p 8081:8081 mock-symbl mock-symbl demo    # with six demo conversations
#   docker run --rm -p 8443:8443 -e MOCK_SYMBL_TLS_PORT=8443 -v mock-symbl-data:/data mock-symbl
#       # also HTTPS/WSS for api.symbl.ai, api-labs.symbl.ai and localhost; trust /data/tls/ca.pem
#       # (GET /__admin/tls/ca.pem). Serving Symbl's own names on 443: compose.transparent.yml.
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
# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them. No bytecode yet:
# it is written below only for the modules the server imports.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && /opt/venv/bin/pip install -q --no-compile -r requirements.txt
COPY pyproject.toml README.md* ./
# mock_symbl/fixtures links to ../fixtures: the wheel build copies the transcripts and recordings into the
# package, so the runtime stage needs no fixtures folder of its own
COPY fixtures ./fixtures
COPY mock_symbl ./mock_symbl
# Then trim what a server never needs (the image is 291 MB on the 174.5 MB stand-in base, 116 MB of it
# ours; numpy + OpenBLAS for yake, 43.5 MB, is the largest part; see docs/QUICKSTART.md "Image size"):
# - bundled test suites and numpy's test-only extension modules (_simd, *_tests: ~1.7 MB);
# - debug symbols of the extension modules (not numpy.libs: auditwheel-patched libraries must stay intact);
# - typing stubs (*.pyi), Cython declarations (*.pxd), numpy's C headers and f2py (for building extensions);
# - Swagger UI's source maps and the bundles /docs does not serve (it serves swagger-ui-bundle.js, ~9.6 MB);
# - SQLAlchemy's test harness and its dialects for servers the mock never connects to (SQLite only);
# - pip, setuptools, wheel.
# Bytecode: all of mock_symbl, plus whatever importing every mock_symbl module and uvicorn's server stack
# writes, i.e. the modules a running server loads (~10 MB less than compiling everything). A module first
# imported later is compiled in memory, as Python does for any missing .pyc.
RUN /opt/venv/bin/pip install -q --no-deps --no-compile . \
 && cd /opt/venv/lib/python*/site-packages \
 && find . -depth -type d \( -name tests -o -name test \) -exec rm -rf {} + \
 && rm -f numpy/_core/_simd.*.so numpy/_core/_*_tests.*.so \
 && find . -name '*.so' -not -path './*.libs/*' -exec strip --strip-unneeded {} + \
 && find . \( -name '*.pyi' -o -name '*.pxd' -o -name '*.map' \) -delete \
 && rm -rf numpy/_core/include numpy/f2py numpy/_pyinstaller /opt/venv/bin/f2py /opt/venv/bin/numpy-config \
 && rm -f swagger_ui_bundle/vendor/*/swagger-ui-es-bundle*.js swagger_ui_bundle/vendor/*/swagger-ui.js \
      swagger_ui_bundle/vendor/*/swagger-ui-standalone-preset.js \
 && rm -rf sqlalchemy/testing sqlalchemy/dialects/postgresql sqlalchemy/dialects/mysql \
      sqlalchemy/dialects/oracle sqlalchemy/dialects/mssql \
 && /opt/venv/bin/pip uninstall -q -y pip setuptools wheel \
 && find . -name __pycache__ -prune -exec rm -rf {} + \
 && /opt/venv/bin/python -m compileall -q /opt/venv/lib/python*/site-packages/mock_symbl \
 && /opt/venv/bin/python -W ignore -c "import importlib, pkgutil, mock_symbl; \
[importlib.import_module(m.name) for m in pkgutil.walk_packages(mock_symbl.__path__, 'mock_symbl.') \
 if m.name not in ('mock_symbl.__main__', 'mock_symbl.pytest_plugin')]; \
import yake, phonenumbers, uvicorn.main, uvicorn.loops.auto, uvicorn.loops.uvloop, uvicorn.lifespan.on, \
uvicorn.protocols.http.auto, uvicorn.protocols.http.httptools_impl, uvicorn.protocols.websockets.auto, \
uvicorn.protocols.websockets.websockets_impl, uvicorn.protocols.websockets.websockets_sansio_impl"

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
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCK_SYMBL_HOST=0.0.0.0 \
    MOCK_SYMBL_PORT=8080 \
    MOCK_SYMBL_LABS_PORT=8081 \
    MOCK_SYMBL_DATA_DIR=/data
VOLUME ["/data"]
# 8443: the TLS port when MOCK_SYMBL_TLS_PORT=8443 (off unless set)
EXPOSE 8080 8081 8443
USER 10001:10001
# Reads MOCK_SYMBL_PORT at check time, so a container started on another port still turns healthy.
# Slim images have no curl: urllib raises (exit 1) on a refused connection or any non-2xx answer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__admin/ready' % os.environ.get('MOCK_SYMBL_PORT', '8080'), timeout=2)"]
# One process, one uvicorn worker: the job scheduler lives in the process and SQLite wants a single writer.
CMD ["mock-symbl"]
