//go:build race

package eval_test

// raceEnabled: the race detector is on; the heaviest tests skip.
const raceEnabled = true
