# syntax=docker/dockerfile:1
#
# Hearth's container image, in three stages:
#   chef     the Rust toolchain and cargo-chef, which reduces the workspace to a "recipe" of its
#            manifests and lock file, so dependencies build in a layer of their own that stays
#            cached until Cargo.lock or a Cargo.toml changes.
#   builder  builds the dependencies from the recipe, then the server with exactly the command CI
#            runs in scripts/test: `cargo build --release --locked -p hearth`. Keep the two
#            identical, so the image holds the binary CI built and tested.
#   runtime  slim Debian with that one binary, run as an unprivileged user, its data in /data.
#
# The image holds no configuration: every setting comes from HEARTH_* environment variables
# (docs/configuration.md); docker-compose.yml passes them from .env. The server drains and exits
# within HEARTH_SHUTDOWN_GRACE (5 s) of SIGTERM, well inside compose's stop_grace_period.
#
# Build: docker build --build-arg HEARTH_GIT_COMMIT=$(git rev-parse --short HEAD) -t hearth .
# (No Docker engine runs on Hearth's build machines: CI checks this file's commands, not an image.)

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS chef
RUN cargo install cargo-chef --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /src/recipe.json recipe.json
# (Cargo.lock is part of the recipe; the build below checks it with --locked.)
RUN cargo chef cook --release -p hearth --recipe-path recipe.json
COPY . .
# Shown as the `commit` label of hearth_build_info on /metrics.
ARG HEARTH_GIT_COMMIT=unknown
ENV HEARTH_GIT_COMMIT=${HEARTH_GIT_COMMIT}
RUN cargo build --release --locked -p hearth

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# A fixed, unprivileged uid: the /data volume is owned by it, and nothing in the container runs
# as root. /data is owner-only: it holds the database and the server's secret key.
RUN groupadd --system --gid 10001 hearth \
    && useradd --system --uid 10001 --gid hearth --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin hearth \
    && mkdir /data \
    && chown hearth:hearth /data \
    && chmod 0700 /data
COPY --from=builder /src/target/release/hearth /usr/local/bin/hearth
# The container's own defaults; compose and `docker run -e` override them.
ENV HEARTH_BIND=0.0.0.0:8080 \
    HEARTH_DATA_DIR=/data \
    HEARTH_METRICS_BIND=0.0.0.0:9090 \
    HEARTH_LOG_FORMAT=json
USER hearth:hearth
WORKDIR /data
VOLUME ["/data"]
# 8080: the web client, API and WebSocket. 9090: /metrics (publish it on a private address only).
EXPOSE 8080 9090
# `hearth healthcheck` GETs /healthz on HEARTH_BIND's port, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["hearth", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["hearth"]
CMD ["serve"]
