// Package resolvers implements the GraphQL schema of package graph. The
// resolvers are thin: they check arguments and permissions, call the
// marketplace (and the matching engine), and map the results.
//
// It owns the API's behaviour over the schema: argument checks, access
// checks (each marked // SECURITY:), error codes, the extensions that bound,
// authorise and cache requests, and the mapping of domain values to the
// generated models. It imports the domain packages, the backends (store,
// search, responsecache, auth, access), marketplace and graph; it must not
// import the root package, demo, sheets or the other shared-state packages
// (the server wires those), and nothing but the root package imports it.
package resolvers

import (
	"time"

	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/linkage"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/models"
	"github.com/yurong/yurong/responsecache"
	"github.com/yurong/yurong/search"
	"github.com/yurong/yurong/store"
)

// Resolver is the root resolver and the dependency-injection point of the
// API; gqlgen never regenerates this file.
type Resolver struct {
	Market *marketplace.Service
	// Store holds the accounts, consents and audit log, which the read
	// model does not: they are read where they are kept, so a revocation
	// holds on every instance from the next request on.
	Store  *store.Store
	Engine *matching.Engine
	Broker Broker // pairingsChanged notifications
	// Applications carries applicationChanged notifications on this
	// instance (PublishApplicationChanges feeds it).
	Applications Broker
	// Financing runs the applications' workflow.
	Financing *financing.Service
	// Events runs the matchmaking events.
	Events *events.Service
	// Linkage keeps residencies, agreements and funds' interests.
	Linkage *linkage.Service
	// Clinics runs the clinics (一企一策诊疗会) and their diagnoses.
	Clinics *clinics.Service
	// Models keeps the institutions' scoring models.
	Models *models.Service
	Search search.Engine // full-text search and the pairings index
	// Responses is the cache of read responses, invalidated here only by
	// what is not a write of an entity (a rematch); may be nil.
	Responses responsecache.Cache
	Now       func() time.Time
}
