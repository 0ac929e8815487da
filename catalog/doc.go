// Package catalog defines the marketplace's domain: enterprises, institutions,
// financial products, incubators and supply-chain demands, their enumerations,
// amounts in fen, and the validation every write must pass.
//
// It does no I/O. The store persists these types, the matching engine ranks
// them and the resolvers serve them; all three depend on catalog, never the
// other way round.
//
// It must not import any project package: it is the bottom layer.
package catalog
