//go:build race

package hostile

// raceEnabled: the race detector multiplies memory use, so the heap bound is not asserted.
const raceEnabled = true
