// Package financing owns the way money reaches an enterprise through the
// marketplace: the province's innovation competitions and their calendars,
// applications for financial products and the statuses they move through,
// the 创赛贷 contest-loan phases (pre-application before the contest, fast
// decisions during it, follow-up after it), the working-day calendar that
// sets decision deadlines, the province's loss compensation for 科技贷
// loans, and the yearly evaluation of the partner banks.
//
// It holds the rules and the workflow; the store keeps the records and the
// matching engine supplies the pairing an application is judged by. It
// imports neither: both reach it through the small interfaces defined here.
//
// It imports no project package but catalog; it must not import store,
// matching, marketplace, resolvers or graph.
package financing
