# syntax=docker/dockerfile:1
#
# quietroom hub image.
#
#   docker build -t quietroom-hub:local .
#
# Stage 1 builds a static, pure-Go binary; stage 2 is distroless (no shell,
# no package manager, no curl) and runs as the unprivileged "nonroot" user
# (uid/gid 65532). Because there is no shell, the container health check is
# the binary's own `hub healthcheck` subcommand.

# The golang images set GOTOOLCHAIN=local, so this tag must provide at least
# the Go version named in go.mod (go 1.26.8). The floating 1.26 tag always
# carries the newest 1.26.x patch release.
ARG GO_VERSION=1.26

############################
# Build stage
############################
# Build natively on the builder's platform and cross-compile for the target
# (pure Go, CGO_ENABLED=0), so multi-arch builds need no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build

WORKDIR /src

# Dependencies first: this layer is reused as long as go.mod/go.sum are
# unchanged.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .

ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -tags nomsgpack -trimpath -ldflags='-s -w' -o /out/hub ./cmd/hub

# An empty data directory owned by nonroot. HUB_DATA_DIR is only used by the
# embedded SQLite store (no DATABASE_URL); distroless has no shell to create
# it at run time. Mount a volume on /data to keep that data.
RUN mkdir -p /out/data

############################
# Runtime stage
############################
FROM gcr.io/distroless/static-debian12:nonroot

LABEL org.opencontainers.image.title="quietroom-hub" \
      org.opencontainers.image.description="quietroom multi-tenant support-group chat hub"

COPY --from=build /out/hub /hub
COPY --from=build --chown=65532:65532 /out/data /data

ENV HUB_ADDR=:8080 \
    HUB_LOG_FORMAT=json \
    HUB_DATA_DIR=/data

USER nonroot:nonroot
EXPOSE 8080

# `hub healthcheck` GETs http://127.0.0.1:<port of HUB_ADDR>/healthz and exits
# 0 (healthy) or 1 (unhealthy). start-period covers the start-up migrations.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/hub", "healthcheck"]

# /hub runs as PID 1 and handles SIGTERM itself (graceful shutdown within
# HUB_SHUTDOWN_TIMEOUT). Other subcommands:
#   docker run --rm quietroom-hub:local migrate
#   docker run --rm quietroom-hub:local tenant create --slug S --name N --admin-email E
ENTRYPOINT ["/hub"]
CMD ["serve"]
