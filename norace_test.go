//go:build !race

package main

// concurrency sizes TestConcurrentReadsAndWrites without the race detector:
// enough demo enterprises that the matching engine's work on a write takes
// a while, enough rounds that readers land inside writes.
var concurrency = concurrencySize{demo: 200, rounds: 10, enterpriseWriters: 3, resourceWriters: 1, readers: []int{0, 0, 0, 1, 1, 2, 3}, minReads: 20}

var convergeSize = struct{ demo, writes int }{demo: 200, writes: 1000}
