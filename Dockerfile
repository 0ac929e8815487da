# syntax=docker/dockerfile:1

# The image of one Yurong instance: a static binary (pure Go, no cgo) on
# distroless, running as an unprivileged user. deploy/compose.yaml runs two
# of them behind Caddy; docs/adr/017-production-stack.md says why.

# The builder's Go is go.mod's (deploy/dockerfile_test.go checks they agree).
# It runs on the build machine's platform and cross-compiles for the target.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/yurong . \
 && mkdir -p /out/data

# distroless static: CA certificates, tzdata and /etc/passwd, no shell, no
# package manager; the health check is the binary's own subcommand.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/yurong /yurong
# The embedded store and index live here when no PostgreSQL or Meilisearch
# is configured; a named volume mounted on it inherits this owner.
COPY --from=build --chown=65532:65532 /out/data /data
ENV YURONG_ADDR=:8080 \
    YURONG_DATA_DIR=/data
USER 65532:65532
EXPOSE 8080
# /readyz is 503 until the first search index is built: the start period
# covers a first start with demo data.
HEALTHCHECK --interval=10s --timeout=5s --start-period=2m --start-interval=2s --retries=3 \
    CMD ["/yurong", "healthcheck"]
ENTRYPOINT ["/yurong"]
