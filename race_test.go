//go:build race

package main

// concurrency sizes TestConcurrentReadsAndWrites under the race detector,
// which makes every request several times slower: the same shape (every
// kind of writer and reader at once), less data and fewer rounds, so the
// README's test command stays within minutes.
var concurrency = concurrencySize{demo: 50, rounds: 10, enterpriseWriters: 3, resourceWriters: 1, readers: []int{0, 0, 0, 1, 1, 2, 3}, minReads: 10}

// Under the race detector every write costs several times more: the
// two-instance convergence test makes fewer of them (a plain `go test`
// makes the thousand the issue asks for).
var convergeSize = struct{ demo, writes int }{demo: 100, writes: 250}
