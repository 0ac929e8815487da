// Package cache owns what stateless Yurong instances share: automatic
// persisted queries, the response cache of hot reads, the pub/sub broker
// behind GraphQL subscriptions, and the rate limits by query cost.
//
// With YURONG_REDIS_URL set, Open returns a Backend whose parts live in
// Redis (go-redis v9), so any instance behind the load balancer sees what
// another registered, invalidated, published or spent. Without it, the
// same parts run in process (LRU caches, channels, token buckets) for one
// instance. Both sides pass one test suite per part.
//
// Redis is never a reason for a request to fail. When a Redis call fails
// (refused, timed out) the backend marks Redis down, serves every part
// from its in-process side — persisted queries and responses from local
// caches, budgets per instance, subscriptions heard only from this
// instance — and reports it in Status for /readyz. A probe pings Redis
// every ProbeInterval; once it answers, the invalidations Redis missed are
// replayed and the backend uses Redis again by itself.
//
// The parts, and the gqlgen extensions built on them:
//
//   - APQ: a graphql.Cache[string] from query hash to query, for
//     PersistedQueries (Apollo's protocol, or an allow-list in locked-down
//     deployments).
//   - ResponseCache: bytes under a key, tagged with dependencies
//     ("enterprise:42"); Invalidate makes every dependent entry unreadable
//     before it returns, on every instance.
//   - Broker: Publish and Subscribe by topic, one Redis subscription per
//     process multiplexed to local subscribers.
//   - Limiter: a token bucket per client, for RateLimit, which charges
//     each operation's complexity and reports extensions.cost.
//
// It imports no project package but tracing; it must not import store,
// marketplace, matching, search, resolvers or graph: what it stores is
// opaque to it.
package cache
