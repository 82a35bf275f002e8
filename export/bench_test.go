package export

import (
	"io"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
	"github.com/netspecter/netspecter-tui/pivot"
)

// benchNodes is the size of the benchmark session: 100,000 nodes, or
// NETSPECTER_BENCH_NODES (e.g. 1000000 for the issue 12 figures).
func benchNodes() int {
	if n, err := strconv.Atoi(os.Getenv("NETSPECTER_BENCH_NODES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

var (
	benchOnce    sync.Once
	benchSession *pivot.Session
)

// BenchmarkExport writes a generated session (sessiongen: scanned domains
// at one registrar, sharing certificates of 190 SANs in groups of 50) in
// every format to io.Discard.
func BenchmarkExport(b *testing.B) {
	benchOnce.Do(func() { benchSession = sessiongen.Build(sessiongen.DefaultOptions(benchNodes())) })
	s := benchSession
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cw := &countWriter{}
				if err := Write(cw, f, s, fixedAt); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(cw.n)
			}
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkExportSession writes the session of NS_BENCH_SESSION (e.g. the
// 92k-node bench300 one; skipped without it) as md and stix to a counting
// writer: the export after pivot.Load, which the export command times as a
// whole. Each run starts cold, as the command does (Changed drops the
// session's cached clusters).
func BenchmarkExportSession(b *testing.B) {
	path := os.Getenv("NS_BENCH_SESSION")
	if path == "" {
		b.Skip("NS_BENCH_SESSION not set")
	}
	s, err := pivot.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"md", "stix", "csv"} {
		b.Run(f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Changed()
				cw := &countWriter{}
				if err := Write(cw, f, s, fixedAt); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(cw.n)
			}
		})
	}
}
