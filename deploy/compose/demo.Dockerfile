# syntax=docker/dockerfile:1
# The image of the demo profile's fakes (compose.yaml): the clinic image plus the fakes' own
# libraries (the notifier's `fakes` extra: the SMTP sink's server), which the production image
# leaves out. Installed from the image's own lock file, as the image itself is.
ARG IMAGE=clinic/platform:0.1.0
FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM ${IMAGE}
USER 0
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# --inexact: add the extra's packages and keep everything the image already has.
RUN --mount=from=uv,source=/uv,target=/usr/local/bin/uv \
    uv sync --frozen --no-dev --inexact --package clinic-notifier --extra fakes
USER 10001:10001
