// Package graph holds the GraphQL schema (schema/*.graphqls) and the
// executable schema gqlgen generates from it (generated.go, model/). The
// resolvers live in package resolvers. Regenerate with `go generate ./...`
// from the repository root (see generate.go there).
package graph
