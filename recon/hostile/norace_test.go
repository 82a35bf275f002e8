//go:build !race

package hostile

// raceEnabled is false without the race detector.
const raceEnabled = false
