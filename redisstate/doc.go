// Package redisstate owns the connection to the Redis that stateless
// instances share, and its health: the client (short timeouts, traced
// without keys), the key prefix, a probe pinging Redis every interval,
// the switch to in-process fallbacks when a call fails (degrade) and back
// once Redis answers, after the registered recovery hooks replayed what
// Redis missed (return).
//
// The Redis implementations of the shared parts (persisted, responsecache,
// pubsub, ratelimit) are built on a Conn: they ask Healthy before each
// call, report a failed one with Failed and serve from their in-process
// side meanwhile, so Redis is never a reason for a request to fail.
//
// It imports no project package but tracing; it must not import the
// packages built on it, nor store, marketplace, matching, search,
// resolvers or graph.
package redisstate
