// Package matching ranks the pairings of technology enterprises with the
// resources that help them grow: financial products (FINANCING), incubators
// (INCUBATION) and the supply-chain demands of chain leaders (INDUSTRY_CHAIN).
//
// It owns the rules pinned in DESIGN.md:
//   - the innovation score (豫科积分): 18 indicators, percentile points within
//     the enterprise's growth-stage cohort, stage weights under a model
//     version, a total of 0–1000 and a grade;
//   - the growth stage and the early-small-hard (早小硬) flags;
//   - eligibility: every failed rule is a blocker naming the rule and the
//     numbers, and dishonest (失信) enterprises are never eligible;
//   - explainable scoring: a pairing's score is the clamped sum of its
//     reasons' contributions, each with a Chinese message;
//   - suggested amounts: the subsidy loan's multiple of the subsidies,
//     other loans' credit capacity, equity and insurance only for a stated
//     need of their kind, and reasons that agree with them
//     (docs/adr/007-advice-agrees-with-numbers.md);
//   - top-K lists in both directions (an enterprise's best resources and a
//     resource's best enterprises), kept current by incremental updates and
//     rebuilt by a parallel full rematch;
//   - the financing plan (一企一策) and its growth plan;
//   - institutions' scoring models on the innovation score's base, which
//     a product's pairings rank by (models.go), and counterfactual advice:
//     the smallest changes of an enterprise's own figures reaching a score,
//     a grade, the early-small-hard list or a product, rescored exactly
//     (advice.go, counterfactual.go; docs/adr/020-institution-models-and-advice.md).
//
// The package is pure Go with no I/O: plain catalog values in, ranked
// pairings out; a full rematch's lists can be saved to and restored from
// the caller's writer and reader (snapshot.go, keyed by a hash of the
// inputs; docs/adr/029-engine-memory-and-start-up.md). An Engine is safe for concurrent use; reads are served from
// precomputed lists, writes recompute what they affect before returning.
//
// It imports no project package but catalog, directly or indirectly; it must
// not import store, marketplace, search, the shared-state packages
// (statebackend and its parts), resolvers or graph (internal/layers checks
// its whole dependency closure).
package matching
