// Package demo generates the demo dataset: a deterministic, Henan-shaped
// marketplace of technology enterprises, financial institutions and their
// products, incubators and chain leaders' supply-chain demands, all in
// Chinese.
//
// It owns the vocabulary of the demo (cities' weights, industry segments with
// their technical terms, real-sounding institution, incubator and chain-leader
// names) and the rules that keep generated entities plausible and consistent
// with one another. The same seed, sizes and day always give the same
// dataset, and every entity passes the validators of package catalog.
//
// The generator does no I/O and holds no global mutable state; the store loads
// its output (see catalog.Dataset), and tests of other packages use it as a
// realistic fixture.
//
// It imports no project package but catalog; it must not import store,
// marketplace, matching or anything above them.
package demo
