// Package store is Yurong's system of record: it owns the database schema and
// its migrations, every write to the marketplace's entities, the full load the
// matching engine starts from, and the transactional outbox the search indexer
// drains.
//
// Two backends share one set of SQL, chosen at [Open]: an embedded SQLite file
// (pure-Go driver modernc.org/sqlite) by default, PostgreSQL through pgx when
// a database URL is given. Both are used through database/sql with $n
// placeholders, which both drivers accept.
//
// Every write runs in one transaction that also appends a row to the outbox,
// so an entity is never visible without its event, nor the event without the
// entity; on error nothing is written and the argument is left unchanged.
// [Store.BulkInsert] is the exception: it writes no outbox rows, because
// whoever loads a dataset in bulk rebuilds the search index from scratch.
//
// The server keeps its own in-memory read model, so the store serves writes,
// [Store.Load] (a fixed number of queries, one per table, whatever the size of
// the data) and single-enterprise reads; it has no query API beyond those.
//
// Migrations are embedded in the binary, numbered, and applied at [Open].
//
// Stored values round-trip exactly on both backends: times are kept in UTC to
// the microsecond, dates as calendar dates (the date in the time's own
// location, read back at 00:00 UTC), amounts as whole fen. Empty child lists of an enterprise
// (reports, subsidies, competition entries) read back as nil.
//
// It imports catalog, tracing and the domain packages whose records it keeps
// (clinics, events, financing, linkage, models, training, and matching for
// the models' weights); those reach it only through interfaces of their own.
// It must not import marketplace, search, the shared-state packages, auth,
// access, resolvers or graph.
package store
