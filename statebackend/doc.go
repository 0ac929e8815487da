// Package statebackend owns the choice of where stateless Yurong
// instances keep what they share, and its composition: automatic
// persisted queries (package persisted), the response cache of hot reads
// (responsecache), the pub/sub broker behind GraphQL subscriptions
// (pubsub) and the rate limits by query cost (ratelimit).
//
// With YURONG_REDIS_URL set, Open returns a Backend whose parts live in
// Redis (go-redis v9) over one connection (redisstate), so any instance
// behind the load balancer sees what another registered, invalidated,
// published or spent. Without it, the same parts run in process (LRU
// caches, channels, token buckets) for one instance. Both sides of each
// part pass one test suite, in the part's package.
//
// Redis is never a reason for a request to fail. When a Redis call fails
// (refused, timed out) Redis is marked down, every part serves from its
// in-process side — persisted queries and responses from local caches,
// budgets per instance, subscriptions heard only from this instance — and
// Status reports it for /readyz. A probe pings Redis every ProbeInterval;
// once it answers, the invalidations Redis missed are replayed and the
// parts use Redis again by themselves. The tests here hold the parts to
// that together, under load, across an outage.
//
// It imports no project package but the parts and redisstate; it must not
// import store, marketplace, matching, search, resolvers or graph: what
// it stores is opaque to it.
package statebackend
