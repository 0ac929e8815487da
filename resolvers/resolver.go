// Package resolvers implements the GraphQL schema of package graph. The
// resolvers are thin: they check arguments and permissions, call the
// marketplace (and the matching engine), and map the results.
package resolvers

import (
	"time"

	"github.com/yurong/yurong/cache"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/search"
)

// Resolver is the root resolver and the dependency-injection point of the
// API; gqlgen never regenerates this file.
type Resolver struct {
	Market *marketplace.Service
	Engine *matching.Engine
	Broker Broker        // pairingsChanged notifications
	Search search.Engine // full-text search and the pairings index
	// Responses is the cache of read responses, invalidated here only by
	// what is not a write of an entity (a rematch); may be nil.
	Responses cache.ResponseCache
	Now       func() time.Time
}
