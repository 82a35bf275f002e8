package pivot_test

import (
	"fmt"
	"testing"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
	"github.com/netspecter/netspecter-tui/pivot"
)

// BenchmarkSnapshot measures what a save costs the goroutine that owns
// the session (the workbench's Update): the snapshot itself, and the
// snapshot with the first change after it, which pays the copy-on-write
// (the maps, the changed entity and its nodes). sessiongen's sessions:
// 92k nodes is the size of issue 17's bench300 investigation. Back to
// back, each round of +change also pays the garbage collection of the
// earlier rounds' map copies (3.6 MB at 92k); a save every few seconds
// pays the copy alone (about 1 ms at 92k: see the README).
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range []int{10000, 92000} {
		s := sessiongen.Build(sessiongen.DefaultOptions(n))
		root := s.Roots()[0]
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Snapshot()
			}
		})
		b.Run(fmt.Sprintf("%dk+change", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.Snapshot()
				s.SetState(root, pivot.StateFailed, fmt.Sprint(i))
			}
		})
	}
}
