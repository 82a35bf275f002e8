package recon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// benchReports scans n domains of the bench300 world in the lab (their
// certificate is one, shared, with 300 SANs: 29 kB of ssl facts and
// pivots per report, as in the bench300 session) and returns their
// reports as Load hands them to UnmarshalJSON: compact JSON.
func benchReports(b *testing.B, n int) [][]byte {
	b.Helper()
	w, err := lab.LoadWorldFile("../testdata/lab/bench300.json")
	if err != nil {
		b.Fatal(err)
	}
	l, err := lab.Start(context.Background(), w, lab.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	sc := recon.NewScanner(l.Env(), modules.All())
	var out [][]byte
	for i := range n {
		name := fmt.Sprintf("bench%03d.%s", i, map[bool]string{true: "net", false: "com"}[i%3 == 0])
		rep := sc.Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: name}, recon.ScanOptions{})
		if !rep.OK("ssl") {
			b.Fatalf("%s: ssl %v", name, rep.Module("ssl"))
		}
		raw, err := json.Marshal(rep)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

// BenchmarkDecodeReports decodes 20 reports of the bench300 world with
// UnmarshalJSON (the fast path) and with the reference it replaced
// (encoding/json's streaming decoder), one goroutine; ms/300 is the
// figure for the 300 reports of the bench300 session.
func BenchmarkDecodeReports(b *testing.B) {
	reps := benchReports(b, 20)
	size := 0
	for _, r := range reps {
		size += len(r)
	}
	for _, impl := range []struct {
		name   string
		decode func(*recon.Report, []byte) error
	}{
		{"fast", (*recon.Report).UnmarshalJSON},
		{"stream", recon.DecodeStream},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, raw := range reps {
					var r recon.Report
					if err := impl.decode(&r, raw); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)*300/float64(len(reps)), "ms/300")
		})
	}
}
