package pivot

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

// bigSession builds a session of about n nodes: scanned domains, each with
// the children its report yields (IPs, NS, SANs, registrar, ASN, cert). The
// reports come from 60 templates (shared pointers), so 1 domain in 10 is
// scanned and clusters form in groups, as in a large investigation.
func bigSession(n int) *Session {
	var reps []*recon.Report
	for i := range 60 {
		g := i / 4 // four templates per operator
		d := dom{
			name:      fmt.Sprintf("tpl%d.example", i),
			ips:       []string{fmt.Sprintf("185.%d.%d.%d", 10+g, i, 7), fmt.Sprintf("2a01:4f8:%x::%x", g, i)},
			asn:       uint32(200000 + g),
			ns:        []string{fmt.Sprintf("ns1.op%d-dns.example", g), fmt.Sprintf("ns2.op%d-dns.example", g)},
			registrar: []string{"NameCheap, Inc.", "Tucows Domains Inc.", "GoDaddy.com, LLC", "Domains By Proxy, LLC"}[g%4],
			created:   fmt.Sprintf("2026-%02d-%02d", 1+g%12, 1+i%28),
			cert:      fmt.Sprintf("%064x", i), pub: fmt.Sprintf("%064x", 1000+g),
			sans:    []string{fmt.Sprintf("a%d.example", i), fmt.Sprintf("b%d.example", i), fmt.Sprintf("c%d.example", i)},
			posture: []string{"spf:none dmarc:none", "spf:softfail dmarc:none", "spf:fail dmarc:reject"}[i%3],
		}
		if i%10 == 9 {
			d.ips = []string{"104.21.48." + itoa(i)} // Cloudflare-proxied
			d.asn = 13335
		}
		reps = append(reps, d.report())
	}
	s := NewSession(t0)
	for i := 0; s.Len() < n; i++ {
		root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: fmt.Sprintf("d%05d.example", i)})
		s.Attach(root.ID, reps[i%len(reps)], t0)
	}
	return s
}

func BenchmarkSession10k(b *testing.B) {
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bigSession(10000)
		}
	})
	s := bigSession(10000)
	b.Run("clusters", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Changed()
			if len(s.Clusters()) == 0 {
				b.Fatal("no clusters")
			}
		}
	})
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := Marshal(s)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(out)))
		}
	})
	data, err := Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Unmarshal(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	// save and load are what the workbench does: Save (atomic, fsync'd
	// file) and Load of the same 10,000-node session (scripts/bench).
	path := filepath.Join(b.TempDir(), "session.json")
	b.Run("save", func(b *testing.B) {
		for b.Loop() {
			if err := Save(s, path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	// heap is the live memory a loaded 10,000-node session holds.
	b.Run("heap", func(b *testing.B) {
		var kept *Session
		var before, after runtime.MemStats
		for b.Loop() {
			kept = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			loaded, err := Load(path)
			if err != nil {
				b.Fatal(err)
			}
			kept = loaded
			runtime.GC()
			runtime.ReadMemStats(&after)
		}
		runtime.KeepAlive(kept)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "heap-MB")
	})
	b.ReportMetric(float64(len(data))/1e6, "file-MB")
}

func TestBigSessionShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2,000-node session")
	}
	s := bigSession(2000)
	cl := s.Clusters()
	if len(cl) == 0 {
		t.Fatal("no clusters")
	}
	for _, c := range cl {
		for _, m := range c.Members {
			// Cloudflare templates (9, 19, ...) share only a registrar/posture with others
			_ = m
		}
	}
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := Marshal(s2)
	if string(b) != string(b2) {
		t.Fatal("big session does not re-save byte-identically")
	}
}

// BenchmarkClustersLanded is the clusters' update when one scan lands in
// the session of NS_BENCH_SESSION (scripts/bench passes the 92k-node
// bench300 one; skipped without it): "landed" attaches a report to a root
// of a session holding all the file's other reports and asks for the
// clusters (incremental), "full" asks for them after Changed (what every
// update cost before clustercache.go).
func BenchmarkClustersLanded(b *testing.B) {
	path := os.Getenv("NS_BENCH_SESSION")
	if path == "" {
		b.Skip("NS_BENCH_SESSION not set")
	}
	src, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	var scanned []*Entity
	for _, e := range src.Entities() {
		if e.Scan != nil && profileKind(e.Kind) {
			scanned = append(scanned, e)
		}
	}
	if len(scanned) < 2 {
		b.Skip("fewer than two scanned domains")
	}
	s := NewSession(t0)
	var last *Node
	for _, e := range scanned {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: e.Value})
		s.Attach(n.ID, e.Scan, t0)
		last = n
	}
	_ = s.Clusters()
	reps := []*recon.Report{scanned[len(scanned)-1].Scan, scanned[0].Scan}
	b.Run("landed", func(b *testing.B) {
		i := 0
		for b.Loop() {
			s.Attach(last.ID, reps[i%2], t0) // a rescan: a new report for the entity
			_ = s.Clusters()
			i++
		}
	})
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			s.Changed()
			_ = s.Clusters()
		}
	})
	b.ReportMetric(float64(len(scanned)), "domains")
}
