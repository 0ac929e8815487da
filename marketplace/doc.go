// Package marketplace is the application core between the API and the
// backends. It owns the write path — validate, commit to the store (entity
// and outbox row in one transaction), then update the in-memory read model
// and the matching engine before returning — and the read model that serves
// catalogue lists, filters and pages without touching the store.
//
// Writes are serialised by one mutex so the read model applies them in
// commit order; reads take a read lock and never wait on the store.
package marketplace
