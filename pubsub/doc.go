// Package pubsub owns the broker behind GraphQL subscriptions: Publish and
// Subscribe by topic, in process (NewLocal) or between every instance
// sharing Redis (NewRedis: one pattern subscription per process,
// multiplexed to local subscribers, local delivery while Redis is away).
//
// It imports no project package but redisstate; it must not import store,
// marketplace, matching, search, resolvers or graph: its messages are
// opaque to it.
package pubsub
