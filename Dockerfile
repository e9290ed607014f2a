# syntax=docker/dockerfile:1
# One image for the gateway and every service (PLT-3). The container's first argument picks
# what runs (deploy/docker/entrypoint.sh): `gateway`, a service (`patients`, `ondoc-bridge`, …)
# or `migrate <service>`. Build one image with everything (the default, what the Helm chart
# and kustomize use):
#   docker build -t clinic/platform:0.1.0 .
# or a smaller image holding a single service (its runtime deps and the shared library only):
#   docker build --build-arg SERVICE=patients -t clinic/patients:0.1.0 .

# ---- builder: uv, the lock file and build tools; produces /app/.venv
FROM python:3.11.11-slim-bookworm AS builder

# Same uv as the Makefile (UV_VERSION), so the lock file is read the same way.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv

# Compilers only for dependencies without a wheel for this platform; never in the final image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# all → every service; otherwise the service's folder name (patients, ondoc-bridge, …) or gateway.
ARG SERVICE=all

# Third-party dependencies first, from the lock file only: this layer survives code changes.
# --no-dev and no extras: the fakes' libraries (aiosmtpd, the notifier's `fakes` extra, for the
# SMTP sink of `make up` and the tests) stay out of the image (tests/deploy/test_dockerfile.py).
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY gateway/pyproject.toml gateway/
COPY services/patients/pyproject.toml services/patients/
COPY services/scheduling/pyproject.toml services/scheduling/
COPY services/ondoc-bridge/pyproject.toml services/ondoc-bridge/
COPY services/notifier/pyproject.toml services/notifier/
COPY services/profexam/pyproject.toml services/profexam/
COPY services/lab/pyproject.toml services/lab/
RUN if [ "$SERVICE" = all ]; then uv sync --frozen --no-dev --no-install-workspace --all-packages; \
    else uv sync --frozen --no-dev --no-install-workspace --package "clinic-$SERVICE"; fi

# Then the project itself. Workspace packages stay editable installs of /app/<member>/src:
# each service finds its migrations/ folder next to its sources.
COPY shared/ shared/
COPY gateway/ gateway/
COPY services/ services/
COPY deploy/docker/entrypoint.sh deploy/docker/entrypoint.sh
RUN if [ "$SERVICE" = all ]; then uv sync --frozen --no-dev --all-packages; \
    else uv sync --frozen --no-dev --package "clinic-$SERVICE"; fi

# ---- web: the web app (web/ → dist/), served by the gateway at / (gateway/web.py)
FROM node:20.19.5-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build --silent

# ---- runtime: the virtual environment and the sources, no compilers, a non-root user
FROM python:3.11.11-slim-bookworm AS runtime

ARG SERVICE=all
RUN groupadd --system --gid 10001 clinic \
    && useradd --system --uid 10001 --gid clinic --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin clinic

WORKDIR /app
# Owned by root and read-only for the service user (Kubernetes also mounts the root read-only).
COPY --from=builder /app /app
COPY --from=web /web/dist /app/web/dist

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CLINIC_LOG_FORMAT=json \
    CLINIC_WEB_DIR=/app/web/dist \
    CLINIC_IMAGE_SERVICE=$SERVICE

USER 10001:10001
EXPOSE 8080

# Kubernetes uses its own probes; this serves `docker run` and compose. /health on every process.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4).status != 200)"]

ENTRYPOINT ["/bin/sh", "/app/deploy/docker/entrypoint.sh"]
CMD []
