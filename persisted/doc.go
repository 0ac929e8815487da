// Package persisted owns persisted queries: the store from query hash to
// query (NewMemoryStore in process, NewRedisStore shared by every instance
// through Redis with an in-process tier in front), the allow-list of a
// locked-down deployment, and the gqlgen extension (Queries) serving
// Apollo's automatic persisted queries through gqlgen's
// extension.AutomaticPersistedQuery, or only the allow-list (ADR 026).
//
// It imports no project package but redisstate and internal/lru; it must
// not import store, marketplace, matching, search, resolvers or graph.
package persisted
