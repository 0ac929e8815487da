// Package graph holds the GraphQL schema (schema/*.graphqls) and the
// executable schema gqlgen generates from it (generated.go, model/). The
// resolvers live in package resolvers. Regenerate with `go generate ./...`
// from the repository root (see generate.go there).
//
// The generated code imports the domain packages whose types the schema maps
// (gqlgen.yml), graph/relay and graph/scalars; it must not import resolvers,
// marketplace, search, the shared-state packages or the root package (the
// resolvers import graph, not the other way round).
package graph
