// Package marketplace is the application core between the API and the
// backends. It owns the write path — validate, commit to the store (entity
// and change-log entry in one transaction), then make the write visible to
// the matching engine and the in-memory read model before returning — and
// the read model that serves catalogue lists, filters and pages without
// touching the store: each filter value has a bitmap of IDs and each sort
// field a sorted list, so a page costs the intersection and the page, not
// the table (ADR 027).
//
// Writes are serialised by one mutex so the read model applies them in
// commit order; reads take a read lock and never wait on the store. Other
// instances' writes arrive by following the store's change log (Follow,
// CatchUp), never by trusting a message.
//
// It imports catalog and store (whose change log names every entity); it
// must not import matching (the engine is the Matcher interface defined
// here), the workflow packages, search, the shared-state packages,
// resolvers or graph.
package marketplace
