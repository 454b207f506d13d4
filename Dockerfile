# One image for every role: `docker run IMAGE api`, `docker run IMAGE worker`, `docker run IMAGE --help`
# (default: run, API + worker + mailbox watcher + ticks on embedded defaults).
#
# BASE is any Debian 12 (bookworm) root file system. Debian's own python3 (3.11) runs the application,
# because the warm PDF path (unoserver) must import Debian's python3-uno, which only that interpreter has:
# one interpreter instead of two. python:3.11-slim-bookworm works as BASE too (hence /usr/bin/python3 spelt
# out: its own Python comes first on PATH), but carries that second, unused Python. scripts/container.sh
# builds the base with debootstrap where no registry is reachable.
ARG BASE=debian:bookworm-slim

# --- build: the locked runtime dependencies and the application into the venv /opt/dunning ---------------
FROM ${BASE} AS build
ARG UV_VERSION=0.13.9
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# The optional build secret ca-bundle is a CA file for PyPI behind a TLS-inspecting proxy (scripts/container.sh
# passes the machine's); a secret, so it never lands in a layer. Without it the image's own CAs are used.
# --system-site-packages: unoserver imports uno from Debian's python3-uno (installed in the final stage).
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
 && /usr/bin/python3 -m venv /opt/uv \
 && /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}" \
 && /usr/bin/python3 -m venv --system-site-packages --without-pip /opt/dunning
WORKDIR /src
# The runtime lock only (requirements-dev.lock adds the test tools): no pytest, mypy or ruff in the image.
COPY requirements.lock ./
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export SSL_CERT_FILE=/run/secrets/ca-bundle; fi \
 && /opt/uv/bin/uv pip install --python /opt/dunning/bin/python --no-cache --compile-bytecode -r requirements.lock
COPY pyproject.toml README.md ./
COPY mailer mailer
COPY parsers parsers
COPY letter_templates letter_templates
COPY worker worker
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export SSL_CERT_FILE=/run/secrets/ca-bundle; fi \
 && /opt/uv/bin/uv pip install --python /opt/dunning/bin/python --no-cache --compile-bytecode --no-deps .

# --- runtime: Debian's python3, LibreOffice for PDF letters, redis-server for `run` on embedded defaults -----
FROM ${BASE}
ARG DEBIAN_FRONTEND=noninteractive
# python3-uno: the warm LibreOffice (unoserver, ~0.1 s a letter instead of ~1 s); without LibreOffice letters
# would go out as DOCX. redis-server: only `run` without DUNNING_REDIS_URL starts it (compose uses its own).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-uno libreoffice-writer-nogui fonts-crosextra-carlito \
      redis-server ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY --from=build /opt/dunning /opt/dunning
ENV PATH=/opt/dunning/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DUNNING_DATA_DIR=/data DUNNING_API_HOST=0.0.0.0 DUNNING_UNOSERVER_COMMAND=/opt/dunning/bin/unoserver
RUN useradd --create-home --uid 10001 --user-group dunning && mkdir -p /data && chown dunning:dunning /data
USER 10001
WORKDIR /data
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["dunning"]
CMD ["run"]
