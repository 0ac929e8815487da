// Package models owns the institutions' scoring models (联合建模): weights
// over the 18 indicators of the innovation score, per growth stage or
// shared, with the indicators a model ignores and the least score a
// product using it accepts. Models are versioned and a version is never
// changed: a revision writes the next one, and every version stays
// readable. A product uses a model's latest version, replacing or
// accompanying the province's score in its pairings; the matching engine
// scores with them (matching.SetScoringModels). Models are private to
// their institution and the administrators; the API layer checks that.
// See docs/adr/020-institution-models-and-advice.md.
//
// It imports only catalog and matching; it must not import store,
// marketplace, search, resolvers or graph, which reach it through the small
// interfaces defined here.
package models
