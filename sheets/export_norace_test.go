//go:build !race

package sheets

const raceEnabled = false
