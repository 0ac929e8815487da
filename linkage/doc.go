// Package linkage keeps the marketplace's relations between its parties
// that the matching engine weighs beyond what each party says of itself
// (the action plan's tasks 6, 7, 9 and 10): enterprises residing in
// incubators with the service package they were granted (育新服务包),
// funds' agreements with incubators (投孵联动) and with banks (投贷联动),
// and funds' early interest in contest entrants (early due diligence).
//
// The Service holds the rules and runs the writes over small ports: the
// store (the records, kept by the store alone), the read model (the
// catalogue the records name) and the marketplace's write path for an
// incubator, whose vacancies follow its residencies. Links turns the
// records into the engine's matching.Links; Performance ranks the
// incubators of a year (the basis of 绩效奖补).
//
// It imports only catalog, financing and matching; it must not import store,
// marketplace, search, resolvers or graph, which reach it through the small
// interfaces defined here.
package linkage
