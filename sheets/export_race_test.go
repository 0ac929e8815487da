//go:build race

package sheets

// raceEnabled makes TestLongListsStream write fewer rows under the race
// detector, which slows every cell written several times.
const raceEnabled = true
