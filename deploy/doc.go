// Package deploy holds Yurong's production stack — compose.yaml (PostgreSQL,
// Redis, Meilisearch, two Yurong instances behind Caddy, Jaeger on demand)
// and the Caddyfile — and the tests that check them, with the repository's
// Dockerfile, against the code they deploy: compose.yaml loaded as
// `docker compose` loads it, the Dockerfile parsed by BuildKit's parser, and
// the image's binary built from the context .dockerignore leaves.
//
// It has no code of its own: nothing imports it.
//
// It must not import any project package either.
package deploy
