//go:build race

package search

// sliceSeeds is how many seeded runs the slice property test makes under
// the race detector, which makes every index write several times slower
// (YURONG_SLICE_SEEDS asks for more).
const sliceSeeds = 2
