package hostile

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// TestInvestigateUnderFaults: an investigation of the demo world with 10%
// of DNS queries and TCP connections dropped, 10% SERVFAIL and up to 200 ms
// of jitter completes, every scan within its timeouts, with the failures
// recorded per module.
func TestInvestigateUnderFaults(t *testing.T) {
	f, err := lab.ParseFaults("drop=0.1,servfail=0.1,jitter=200ms,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Start(context.Background(), lab.Demo(), lab.Options{Faults: f, Now: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	env := l.Env()
	shortLimits(env)
	sc := recon.NewScanner(env, modules.All())
	s := pivot.NewSession(env.Clock())
	follow, err := pivot.ParseFollow("san,ip,ns,mx,subdomain,ptr")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = pivot.Investigate(context.Background(), s, target(t, "nova-parcels.com"),
		func(ctx context.Context, tg recon.Target) *recon.Report { return sc.Scan(ctx, tg, recon.ScanOptions{}) },
		pivot.InvestigateOptions{Depth: 1, Follow: follow, MaxScans: 10, Concurrency: 4})
	if err != nil {
		t.Fatalf("Investigate: %v", err)
	}
	scans := 0
	failures := map[string]int{}
	for _, e := range s.Entities() {
		rep := e.Scan
		if rep == nil {
			continue
		}
		scans++
		for id, m := range rep.Modules {
			if d := time.Duration(m.DurationMS) * time.Millisecond; d > moduleTimeout+1500*time.Millisecond {
				t.Errorf("%s/%s ran %s", e.Value, id, d)
			}
			switch {
			case m.Status == recon.StatusError && m.Err == "":
				t.Errorf("%s/%s failed without a reason", e.Value, id)
			case m.Status == recon.StatusError:
				failures[id]++
			}
		}
		if f := recon.FactsOf[recon.DNSFacts](rep, "dns"); f != nil && len(f.Errors) > 0 {
			failures["dns (per question)"] += len(f.Errors)
		}
	}
	st := l.FaultStats()
	t.Logf("faults %s: %d scans in %s; injected %+v; failures per module %v", f, scans, time.Since(start).Round(time.Millisecond), st, sortedCounts(failures))
	if scans < 5 {
		t.Errorf("%d scans, want the root and its pivots (at least 5)", scans)
	}
	if st.DNSDropped+st.DNSServFail+st.ConnsDropped == 0 {
		t.Error("no fault was injected")
	}
	if len(failures) == 0 {
		t.Error("no failure was recorded in any module")
	}
}

func sortedCounts(m map[string]int) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+itoa(v))
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
