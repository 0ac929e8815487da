// Package responsecache owns the cache of encoded responses of hot reads,
// each tagged with the dependencies it was computed from, and their
// invalidation: versioned tags, stamped before reading, so no entry read
// before a write is served after it (ADR 006). NewMemory keeps it in
// process for one instance; NewRedis shares it through Redis, falls back
// to the in-process side while Redis is away and replays the missed
// invalidations before Redis is used again.
//
// It imports no project package but redisstate and internal/lru; it must
// not import store, marketplace, matching, search, resolvers or graph: the
// tags and values are opaque to it (resolvers derives the tags).
package responsecache
