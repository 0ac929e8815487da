// Package events runs the marketplace's industry-chain matchmaking events
// (产业链专场对接会): an organiser names the event's day (slots, slot
// length, tables), its hosts — chain leaders with their demands, banks,
// funds and insurers with their products, incubators — and the enterprises
// taking part, or invites the enterprises best paired with the hosts; the
// package then builds the scheduling problem from the matching engine's
// pairings, has package scheduling solve it, and keeps the day: who meets
// whom, at which table, in which slot, and why.
//
// It owns the rules (validation with stable codes, who may be invited,
// how a meeting is scored, what stays put when an event is scheduled again)
// and the agendas and their exports (an iCalendar per participant or host,
// an Excel sheet per event). The store keeps the records and the matching
// engine supplies the pairings; both reach it through the small interfaces
// defined here.
//
// It imports only catalog, matching and scheduling; it must not import
// store, marketplace, search, resolvers or graph.
package events
