//go:build !race

package search

// sliceSeeds is how many seeded runs the slice property test makes
// (YURONG_SLICE_SEEDS asks for more).
const sliceSeeds = 5
