package recon_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// fakeModule runs fn as its Run.
type fakeModule struct {
	id    string
	kinds []recon.Kind
	fn    func(ctx context.Context, r *recon.Run) *recon.ModuleResult
}

func (m fakeModule) ID() string         { return m.id }
func (m fakeModule) Touch() recon.Touch { return recon.TouchNone }
func (m fakeModule) Applies(k recon.Kind) bool {
	if len(m.kinds) == 0 {
		return true
	}
	for _, x := range m.kinds {
		if x == k {
			return true
		}
	}
	return false
}
func (m fakeModule) Run(ctx context.Context, r *recon.Run) *recon.ModuleResult { return m.fn(ctx, r) }

func TestScanIsolatesFailures(t *testing.T) {
	env := recontest.Env(t, "127.0.0.1:1", nil)
	env.Limits.ModuleTimeout = 200 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	mods := []recon.Module{
		fakeModule{id: "good", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
			return recon.OK(&recon.DNSFacts{Name: "x"}, recon.Pivot{Kind: recon.PivotIP, Value: "192.0.2.1", Relation: "A"}, recon.Pivot{Kind: recon.PivotIP, Value: "192.0.2.1", Relation: "A"})
		}},
		fakeModule{id: "panics", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult { panic("boom") }},
		fakeModule{id: "fails", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
			return recon.Failed(errors.New("server said no"), nil)
		}},
		fakeModule{id: "hangs", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
			<-release // ignores ctx on purpose: the scanner must not wait for it
			return recon.OK(nil)
		}},
		fakeModule{id: "slow-but-polite", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
			<-ctx.Done()
			return recon.Failed(ctx.Err(), nil)
		}},
		fakeModule{id: "ip-only", kinds: []recon.Kind{recon.KindIP}, fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
			return recon.OK(nil)
		}},
	}
	s := recon.NewScanner(env, mods)
	rep := s.Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "example.com"}, recon.ScanOptions{})

	tests := []struct {
		id      string
		status  recon.Status
		errPart string
	}{
		{"good", recon.StatusOK, ""},
		{"panics", recon.StatusError, "internal error"},
		{"fails", recon.StatusError, "server said no"},
		{"hangs", recon.StatusError, "timed out"},
		{"slow-but-polite", recon.StatusError, "timed out"},
	}
	for _, tt := range tests {
		m := rep.Modules[tt.id]
		if m == nil {
			t.Fatalf("module %s missing from report", tt.id)
		}
		if m.Status != tt.status || !strings.Contains(m.Err, tt.errPart) {
			t.Errorf("%s: status %q err %q; want %q containing %q", tt.id, m.Status, m.Err, tt.status, tt.errPart)
		}
		if m.Module != tt.id {
			t.Errorf("%s: Module field %q", tt.id, m.Module)
		}
	}
	if _, ok := rep.Modules["ip-only"]; ok {
		t.Error("ip-only module ran for a domain target")
	}
	if got := len(rep.Modules["good"].Pivots); got != 1 {
		t.Errorf("duplicate pivots not removed: %d", got)
	}
}

func TestScanOnlyAndCheckModules(t *testing.T) {
	env := recontest.Env(t, "127.0.0.1:1", nil)
	ok := func(ctx context.Context, r *recon.Run) *recon.ModuleResult { return recon.OK(nil) }
	s := recon.NewScanner(env, []recon.Module{fakeModule{id: "dns", fn: ok}, fakeModule{id: "ssl", fn: ok}})
	rep := s.Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "example.com"}, recon.ScanOptions{Only: []string{"ssl"}})
	if len(rep.Modules) != 1 || rep.Modules["ssl"] == nil {
		t.Fatalf("Only=[ssl] ran %v", recon.SortedModuleIDs(rep))
	}
	err := s.CheckModules([]string{"ssl", "bogus"})
	if !errors.Is(err, recon.ErrUnknownModule) || !strings.Contains(err.Error(), "dns, ssl") {
		t.Fatalf("CheckModules error = %v", err)
	}
}

func TestRunSharesDNSAndAddrs(t *testing.T) {
	z := recontest.NewZone(t,
		"example.com. 300 IN A 192.0.2.10",
		"example.com. 300 IN A 192.0.2.11",
		"example.com. 300 IN AAAA 2001:db8::10",
		"example.com. 300 IN MX 10 mail.example.com.",
	)
	addr := recontest.StartDNS(t, z)
	env := recontest.Env(t, addr, nil)
	run := recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: "example.com"})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := run.Lookup(ctx, "example.com", dns.TypeMX); err != nil {
			t.Fatal(err)
		}
	}
	addrs, err := run.Addrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs) != 3 {
		t.Fatalf("Addrs = %v, want 3", addrs)
	}
	if _, err := run.Lookup(ctx, "EXAMPLE.com.", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	if n := z.Count("example.com", dns.TypeMX); n != 1 {
		t.Errorf("MX asked %d times, want 1", n)
	}
	if n := z.Count("example.com", dns.TypeA); n != 1 {
		t.Errorf("A asked %d times, want 1 (Addrs and Lookup share)", n)
	}
}

func TestRunAddrsIPTarget(t *testing.T) {
	env := recontest.Env(t, "127.0.0.1:1", nil)
	run := recon.NewRun(env, recon.Target{Kind: recon.KindIP, Value: "185.220.101.47"})
	addrs, err := run.Addrs(context.Background())
	if err != nil || len(addrs) != 1 || addrs[0].String() != "185.220.101.47" {
		t.Fatalf("Addrs = %v, %v", addrs, err)
	}
}

func TestExchangeRetriesOverTCP(t *testing.T) {
	var recs []string
	for i := 0; i < 40; i++ {
		recs = append(recs, "big.example. 300 IN TXT \"v=verification-token-"+strings.Repeat("x", 40)+string(rune('a'+i%26))+"\"")
	}
	z := recontest.NewZone(t, recs...)
	env := recontest.Env(t, recontest.StartDNS(t, z), nil)
	r, err := env.Exchange(context.Background(), "big.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if r.Truncated || len(r.Answer) != 40 {
		t.Fatalf("got %d answers (truncated=%v), want all 40 over TCP", len(r.Answer), r.Truncated)
	}
}

func TestGuardedDialerRefusesNonPublic(t *testing.T) {
	// The resolver maps names to inward-pointing addresses; the dialer must
	// refuse them before any connection is attempted.
	z := recontest.NewZone(t,
		"evil.example. 300 IN A 127.0.0.1",
		"metadata.example. 300 IN A 169.254.169.254",
		"lan.example. 300 IN A 10.0.0.5",
		"six.example. 300 IN AAAA ::1",
	)
	env := recontest.Env(t, recontest.StartDNS(t, z), nil)
	dial := recon.GuardedDialer(nil, env.LookupAddrs)
	for _, addr := range []string{"evil.example:443", "metadata.example:80", "lan.example:443", "six.example:443", "127.0.0.1:22", "[::1]:443", "169.254.169.254:80", "10.0.0.5:443"} {
		c, err := dial(context.Background(), "tcp", addr)
		if c != nil {
			c.Close()
		}
		if !errors.Is(err, recon.ErrNonPublic) {
			t.Errorf("dial %s: err = %v, want ErrNonPublic", addr, err)
		}
	}
}

// TestReportJSONRoundTrip: facts come back with their Go types, an unknown
// module keeps its facts as generic JSON, and "facts": null stays nil.
func TestReportJSONRoundTrip(t *testing.T) {
	created := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	in := &recon.Report{
		Target: recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"},
		Modules: map[string]*recon.ModuleResult{
			"dns":   {Status: recon.StatusOK, Facts: &recon.DNSFacts{Name: "nova-parcels.com", A: []string{"185.220.101.47"}}, Pivots: []recon.Pivot{{Kind: recon.PivotIP, Value: "185.220.101.47", Relation: "A"}}},
			"whois": {Status: recon.StatusOK, Facts: &recon.WhoisFacts{Registrar: "NameCheap, Inc.", Created: &created}},
			"ssl":   {Status: recon.StatusError, Err: "timed out"},
			"x-new": {Status: recon.StatusOK, Facts: map[string]any{"k": "v"}},
		},
		Assessment: recon.Assessment{Level: recon.LevelRed, Signals: []recon.Signal{{Level: recon.LevelRed, Text: "young"}}},
		DurationMS: 12,
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out recon.Report
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if d := recon.FactsOf[recon.DNSFacts](&out, "dns"); d == nil || d.A[0] != "185.220.101.47" {
		t.Fatalf("dns facts %#v", out.Modules["dns"].Facts)
	}
	if w := recon.FactsOf[recon.WhoisFacts](&out, "whois"); w == nil || !w.Created.Equal(created) {
		t.Fatalf("whois facts %#v", out.Modules["whois"].Facts)
	}
	if out.Modules["ssl"].Facts != nil || out.Modules["ssl"].Err != "timed out" || out.Modules["ssl"].Module != "ssl" {
		t.Fatalf("ssl %#v", out.Modules["ssl"])
	}
	if m, ok := out.Modules["x-new"].Facts.(map[string]any); !ok || m["k"] != "v" {
		t.Fatalf("unknown module facts %#v", out.Modules["x-new"].Facts)
	}
	if out.Assessment.Level != recon.LevelRed || out.DurationMS != 12 || out.Target.Value != "nova-parcels.com" {
		t.Fatalf("report fields %+v", out)
	}
	b2, _ := json.Marshal(&out)
	if string(b) != string(b2) {
		t.Fatalf("re-marshal differs:\n%s\n%s", b, b2)
	}
	for _, bad := range []string{`[]`, `{"modules": []}`, `{"modules": {"dns": {"facts": 3}}}`} {
		if err := json.Unmarshal([]byte(bad), &out); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestSourcesWaitSaysRateLimit(t *testing.T) {
	s := recon.NewSources(map[string]float64{"whois": 0.01})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Wait(ctx, "whois"); err != nil { // the burst token
		t.Fatal(err)
	}
	err := s.Wait(ctx, "whois")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "rate limit") || strings.Contains(err.Error(), "Wait(n=1)") {
		t.Fatalf("err = %v", err)
	}
	s.Done("whois", nil, false)
	if st := s.Snapshot(); len(st) != 1 || st[0].Requests != 1 || st[0].PerSecond != 0.01 {
		t.Fatalf("snapshot %+v", st)
	}
}

// TestPassiveStrictSkipsTargetModules runs under -race in CI: the skipped
// results are written while other modules finish.
func TestPassiveStrictSkipsTargetModules(t *testing.T) {
	env := recontest.Env(t, "127.0.0.1:1", nil)
	env.PassiveStrict = true
	ok := func(ctx context.Context, r *recon.Run) *recon.ModuleResult { return recon.OK(nil) }
	var mods []recon.Module
	for i := 0; i < 20; i++ {
		mods = append(mods, fakeModule{id: fmt.Sprintf("third-%d", i), fn: ok})
		mods = append(mods, targetModule{fakeModule{id: fmt.Sprintf("target-%d", i), fn: ok}})
	}
	rep := recon.NewScanner(env, mods).Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "example.com"}, recon.ScanOptions{})
	for i := 0; i < 20; i++ {
		if m := rep.Modules[fmt.Sprintf("target-%d", i)]; m == nil || m.Status != recon.StatusSkipped || !strings.Contains(m.Err, "passive-strict") {
			t.Fatalf("target-%d: %+v", i, m)
		}
		if m := rep.Modules[fmt.Sprintf("third-%d", i)]; m == nil || m.Status != recon.StatusOK {
			t.Fatalf("third-%d: %+v", i, m)
		}
	}
}

type targetModule struct{ fakeModule }

func (targetModule) Touch() recon.Touch { return recon.TouchTarget }

func TestRunPublicAddrs(t *testing.T) {
	z := recontest.NewZone(t,
		"mixed.example. 300 IN A 192.0.2.10",
		"mixed.example. 300 IN A 10.0.0.5",
		"mixed.example. 300 IN A 192.0.2.10",
		"mixed.example. 300 IN AAAA ::ffff:192.0.2.10",
		"mixed.example. 300 IN AAAA ::1",
	)
	env := recontest.Env(t, recontest.StartDNS(t, z), nil)
	env.Lab = false
	pub, skipped, err := recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: "mixed.example"}).PublicAddrs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(pub) != 1 || pub[0].String() != "192.0.2.10" {
		t.Errorf("public %v, want only 192.0.2.10 once", pub)
	}
	if strings.Join(skipped, "; ") != "10.0.0.5 (private); ::1 (loopback)" {
		t.Errorf("skipped %q", skipped)
	}
	env.Lab = true // the lab's world addresses may be anything
	pub, skipped, _ = recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: "mixed.example"}).PublicAddrs(context.Background())
	if len(pub) != 3 || len(skipped) != 0 {
		t.Errorf("lab: public %v skipped %v", pub, skipped)
	}
}

func TestScanProgress(t *testing.T) {
	env := recontest.Env(t, "127.0.0.1:1", nil)
	ok := func(ctx context.Context, r *recon.Run) *recon.ModuleResult { return recon.OK(nil) }
	mods := []recon.Module{fakeModule{id: "a", fn: ok}, fakeModule{id: "b", fn: ok}, fakeModule{id: "c", fn: ok},
		fakeModule{id: "ip-only", kinds: []recon.Kind{recon.KindIP}, fn: ok}}
	var calls [][2]int
	var last []string
	finished := map[string]recon.Status{}
	recon.NewScanner(env, mods).Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "example.com"}, recon.ScanOptions{
		Progress: func(done, pending []string) {
			calls = append(calls, [2]int{len(done), len(pending)})
			last = done
			if len(finished) != len(done) {
				t.Errorf("Finished called for %d modules when %d are done", len(finished), len(done))
			}
		},
		Finished: func(id string, res recon.ModuleResult) { finished[id] = res.Status },
	})
	if len(finished) != 3 || finished["a"] != recon.StatusOK {
		t.Errorf("Finished saw %v", finished)
	}
	if len(calls) != 3 {
		t.Fatalf("%d progress calls, want one per module that ran (3): %v", len(calls), calls)
	}
	for i, c := range calls {
		if c[0] != i+1 || c[0]+c[1] != 3 {
			t.Fatalf("call %d: %v", i, c)
		}
	}
	if strings.Join(last, ",") != "a,b,c" {
		t.Fatalf("last done %v, want module order", last)
	}
}

// TestFailedModuleKeepsOnlyWhatWasRead: a module that failed, was
// rate-limited or skipped keeps facts only when they hold something read; empty ones
// are dropped, so --json never writes "certs": [], "hosts": [],
// "total": 0 or "cloudflare": false for a check whose questions went
// unanswered. An ok module keeps its empty facts: there, empty is the
// answer.
func TestFailedModuleKeepsOnlyWhatWasRead(t *testing.T) {
	first := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status recon.Status
		facts  any
		kept   bool
	}{
		{"ssl: no handshake", recon.StatusError, &recon.SSLFacts{Certs: []recon.CertFacts{}}, false},
		{"ssl: a certificate of one address", recon.StatusError, &recon.SSLFacts{Certs: []recon.CertFacts{{Subject: "CN=x"}}}, true},
		{"ssl: non-public addresses named", recon.StatusError, &recon.SSLFacts{Certs: []recon.CertFacts{}, Skipped: []string{"10.0.0.1: non-public"}}, true},
		{"ports: InternetDB down", recon.StatusError, &recon.PortsFacts{Hosts: []recon.HostPorts{}}, false},
		{"ports: rate-limited after one", recon.StatusRateLimited, &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: "192.0.2.1", Ports: []int{443}}}}, true},
		{"geoip: nothing located", recon.StatusError, &recon.GeoFacts{IPs: []recon.IPGeo{}}, false},
		{"subdomains: no CT log answered", recon.StatusRateLimited, &recon.SubdomainFacts{Names: []string{}, Source: "certspotter"}, false},
		{"subdomains: one page before the failure", recon.StatusError, &recon.SubdomainFacts{Names: []string{}, FirstIssuance: &first}, true},
		{"headers: no answer", recon.StatusError, &recon.HeadersFacts{URL: "http://x/", HTTPSError: "refused"}, false},
		{"headers: a redirect loop's last answer", recon.StatusError, &recon.HeadersFacts{URL: "https://x/", StatusCode: 302}, true},
		{"headers skipped: the site resolved inward, not contacted", recon.StatusSkipped, &recon.HeadersFacts{URL: "https://x/"}, false},
		{"ssl skipped: every address non-public, named", recon.StatusSkipped, &recon.SSLFacts{Certs: []recon.CertFacts{}, Skipped: []string{"127.0.0.1: loopback"}}, true},
		{"ok and empty: the answer", recon.StatusOK, &recon.PortsFacts{Hosts: []recon.HostPorts{}}, true},
		{"other facts are kept", recon.StatusError, &recon.EmailFacts{Errors: map[string]string{"TXT": "x"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := recontest.Env(t, "127.0.0.1:1", nil)
			m := fakeModule{id: "m", fn: func(ctx context.Context, r *recon.Run) *recon.ModuleResult {
				return &recon.ModuleResult{Status: tt.status, Err: "x", Facts: tt.facts}
			}}
			rep := recon.NewScanner(env, []recon.Module{m}).Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "example.com"}, recon.ScanOptions{})
			if got := rep.Modules["m"].Facts != nil; got != tt.kept {
				t.Errorf("facts kept %v, want %v", got, tt.kept)
			}
		})
	}
}
