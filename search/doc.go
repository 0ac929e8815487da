// Package search is the search side of the marketplace: the port the
// resolvers and the indexer talk to, its two engines, the index documents
// and the indexer that keeps them current.
//
// It owns:
//   - the port, [Engine]: upsert documents in batches, delete by id and by
//     query, full-text search over the catalogue with highlights, the ranked
//     pairings list with every filter of the API's PairingFilter and keyset
//     cursor paging, a full rebuild into a fresh index swapped in atomically,
//     ping and document counts;
//   - the embedded engine, [Bleve]: Bleve v2 (scorch) on disk, with a
//     Chinese analyser of CJK bigrams (plus unigrams in the catalogue) so a
//     word inside a longer compound is found;
//   - the production engine, [Meili]: Meilisearch through meilisearch-go,
//     one index per document type plus pairings, settings applied before
//     documents, every task awaited and its status checked;
//   - the index documents ([CatalogDoc], [PairingDoc]) built from catalog
//     entities and matching pairings, denormalised so that filters and text
//     search need no joins;
//   - the [Indexer], which drains the store's outbox into the engine with
//     retries and back-off, acknowledges an event only once its documents
//     are indexed, keeps the pairings index exactly the matching engine's
//     slice (matching.Slice: the pairings other entities' writes moved
//     included), reports its lag, and runs full reindexes that replay the
//     writes made while they run.
//
// The package reads entities through a [Source] (the read model and the
// matching engine in the server) and never imports the store's internals,
// the resolvers or the GraphQL layer; it uses the store only for the
// outbox event type.
//
// Design notes are in docs/adr/005-search.md and
// docs/adr/008-indexed-pairings-slice.md.
//
// It imports only catalog, matching, store (the change log's entry type) and
// tracing; it must not import marketplace, the shared-state packages,
// resolvers or graph.
package search
