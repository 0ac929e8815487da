// Package ratelimit owns the rate limits by query cost: a token bucket
// per client (NewMemory in process, NewRedis shared by every instance
// through Redis and per instance while Redis is away), the gqlgen
// extension charging each operation's complexity and reporting
// extensions.cost, and the middleware that names the client and answers
// a refusal with HTTP 429 and Retry-After.
//
// It imports no project package but redisstate; it must not import store,
// marketplace, matching, search, resolvers or graph: the server says how
// to name a client (Extension.Identify).
package ratelimit
