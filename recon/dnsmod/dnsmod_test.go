package dnsmod_test

import (
	"context"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/dnsmod"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func run(t *testing.T, h dns.Handler, target string, tweak func(*recon.Env)) (*recon.ModuleResult, *recon.DNSFacts) {
	t.Helper()
	addr := recontest.StartDNS(t, h)
	env := recontest.Env(t, addr, nil)
	if tweak != nil {
		tweak(env)
	}
	tg, err := recon.ParseTarget(target)
	if err != nil {
		t.Fatalf("ParseTarget(%q): %v", target, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m := dnsmod.New()
	if !m.Applies(tg.Kind) {
		t.Fatalf("dns module does not apply to %s", tg.Kind)
	}
	res := m.Run(ctx, recon.NewRun(env, tg))
	f, _ := res.Facts.(*recon.DNSFacts)
	if f == nil {
		t.Fatalf("facts are %T, want *recon.DNSFacts", res.Facts)
	}
	return res, f
}

func hasPivot(ps []recon.Pivot, kind recon.PivotKind, value, rel string) bool {
	for _, p := range ps {
		if p.Kind == kind && p.Value == value && p.Relation == rel {
			return true
		}
	}
	return false
}

func TestModuleMeta(t *testing.T) {
	m := dnsmod.New()
	if m.ID() != "dns" || m.Touch() != recon.TouchThirdParty {
		t.Errorf("ID/Touch = %q/%q", m.ID(), m.Touch())
	}
	for _, k := range []recon.Kind{recon.KindDomain, recon.KindEmail, recon.KindIP} {
		if !m.Applies(k) {
			t.Errorf("does not apply to %s", k)
		}
	}
}

func TestEveryRecordType(t *testing.T) {
	z := recontest.NewZone(t,
		"Example.COM. 300 IN A 192.0.2.10",
		"example.com. 300 IN A 192.0.2.11",
		"example.com. 300 IN AAAA 2001:db8::10",
		"example.com. 300 IN MX 20 MX2.Example.COM.",
		"example.com. 300 IN MX 10 mx1.example.com.",
		"example.com. 300 IN NS NS1.Example.NET.",
		"example.com. 300 IN NS ns2.example.net.",
		`example.com. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 " "-all"`,
		`example.com. 300 IN TXT "google-site-verification=abc"`,
		"example.com. 300 IN SOA ns1.example.net. hostmaster.example.com. 2024010101 7200 3600 1209600 300",
		`example.com. 300 IN CAA 0 issue "letsencrypt.org"`,
	)
	res, f := run(t, z, "Example.COM.", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	want := &recon.DNSFacts{
		Name: "example.com",
		A:    []string{"192.0.2.10", "192.0.2.11"},
		AAAA: []string{"2001:db8::10"},
		MX:   []recon.MXRecord{{Host: "mx1.example.com", Pref: 10}, {Host: "mx2.example.com", Pref: 20}},
		NS:   []string{"ns1.example.net", "ns2.example.net"},
		TXT:  []string{"v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=abc"},
		SOA: &recon.SOARecord{NS: "ns1.example.net", Mbox: "hostmaster.example.com", Serial: 2024010101,
			Refresh: 7200, Retry: 3600, Expire: 1209600, MinTTL: 300},
		CAA:           []recon.CAARecord{{Flag: 0, Tag: "issue", Value: "letsencrypt.org"}},
		Verifications: []recon.VerifyToken{{Service: "google", Token: "abc", Scope: recon.ScopeDomain, Source: "dns"}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("facts:\n got %+v\nwant %+v", f, want)
	}
	for _, p := range []recon.Pivot{
		{Kind: recon.PivotIP, Value: "192.0.2.10", Relation: "A"},
		{Kind: recon.PivotIP, Value: "2001:db8::10", Relation: "AAAA"},
		{Kind: recon.PivotNS, Value: "ns1.example.net", Relation: "NS"},
		{Kind: recon.PivotVerify, Value: "google:abc", Relation: "verify"},
		{Kind: recon.PivotMX, Value: "mx1.example.com", Relation: "MX"},
	} {
		if !hasPivot(res.Pivots, p.Kind, p.Value, p.Relation) {
			t.Errorf("missing pivot %+v in %+v", p, res.Pivots)
		}
	}
	// Each question was asked exactly once.
	for _, q := range []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeMX, dns.TypeNS, dns.TypeTXT, dns.TypeSOA, dns.TypeCAA} {
		if n := z.Count("example.com", q); n != 1 {
			t.Errorf("%s asked %d times, want 1", dns.TypeToString[q], n)
		}
	}
}

// chainHandler answers www.chain.test with a two-hop CNAME chain, like a
// recursive resolver does.
func chainHandler(t *testing.T) dns.Handler {
	z := recontest.NewZone(t, "chain.test. 300 IN A 192.0.2.1")
	return dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		q := r.Question[0]
		if strings.EqualFold(q.Name, "www.chain.test.") {
			m := new(dns.Msg)
			m.SetReply(r)
			for _, s := range []string{"www.chain.test. 60 IN CNAME Edge.CDN.test.", "edge.cdn.test. 60 IN CNAME b.cdn.test."} {
				rr, _ := dns.NewRR(s)
				m.Answer = append(m.Answer, rr)
			}
			if q.Qtype == dns.TypeA {
				rr, _ := dns.NewRR("b.cdn.test. 60 IN A 198.51.100.7")
				m.Answer = append(m.Answer, rr)
			}
			_ = w.WriteMsg(m)
			return
		}
		z.ServeDNS(w, r)
	})
}

func TestCNAMEChain(t *testing.T) {
	res, f := run(t, chainHandler(t), "www.chain.test", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if want := []string{"edge.cdn.test", "b.cdn.test"}; !reflect.DeepEqual(f.CNAME, want) {
		t.Errorf("CNAME chain %v, want %v", f.CNAME, want)
	}
	if !reflect.DeepEqual(f.A, []string{"198.51.100.7"}) {
		t.Errorf("A %v", f.A)
	}
	for _, v := range []string{"edge.cdn.test", "b.cdn.test"} {
		if !hasPivot(res.Pivots, recon.PivotDomain, v, "CNAME") {
			t.Errorf("no CNAME pivot to %s: %+v", v, res.Pivots)
		}
	}
}

func TestNXDomainIsAResult(t *testing.T) {
	z := recontest.NewZone(t, "other.test. 300 IN A 192.0.2.1")
	res, f := run(t, z, "nothere.test", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s (%s), want ok", res.Status, res.Err)
	}
	if !f.NXDomain || len(f.Errors) != 0 || len(f.A) != 0 || len(res.Pivots) != 0 {
		t.Errorf("facts %+v pivots %+v", f, res.Pivots)
	}
}

func TestServfail(t *testing.T) {
	z := recontest.NewZone(t, "broken.test. 300 IN A 192.0.2.1")
	z.Rcodes["broken.test."] = dns.RcodeServerFailure
	res, f := run(t, z, "broken.test", nil)
	if res.Status != recon.StatusError {
		t.Fatalf("status %s, want error", res.Status)
	}
	if !strings.Contains(res.Err, "SERVFAIL") || !strings.Contains(res.Err, "--resolver") {
		t.Errorf("error %q should name SERVFAIL and say what to do", res.Err)
	}
	if len(f.Errors) != 8 || !strings.HasPrefix(f.Errors["A"], "SERVFAIL from 127.0.0.1:") {
		t.Errorf("errors %v", f.Errors)
	}
	if f.NXDomain {
		t.Error("SERVFAIL is not NXDOMAIN")
	}
}

func TestPartialFailureKeepsAnswers(t *testing.T) {
	z := recontest.NewZone(t, "part.test. 300 IN A 192.0.2.1")
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if r.Question[0].Qtype == dns.TypeMX {
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeRefused)
			_ = w.WriteMsg(m)
			return
		}
		z.ServeDNS(w, r)
	})
	res, f := run(t, h, "part.test", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if len(f.Errors) != 1 || !strings.HasPrefix(f.Errors["MX"], "REFUSED") {
		t.Errorf("errors %v, want only MX REFUSED", f.Errors)
	}
	if !reflect.DeepEqual(f.A, []string{"192.0.2.1"}) {
		t.Errorf("A %v", f.A)
	}
}

func TestTimeoutHonoursDeadline(t *testing.T) {
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {}) // never answers
	addr := recontest.StartDNS(t, silent)
	env := recontest.Env(t, addr, nil)
	env.Limits.DNSTimeout = time.Second // longer than the module's deadline below
	tg := recon.Target{Kind: recon.KindDomain, Value: "slow.test"}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := dnsmod.New().Run(ctx, recon.NewRun(env, tg))
	if d := time.Since(start); d > 700*time.Millisecond {
		t.Errorf("returned after %s; the deadline was 150ms", d)
	}
	if res.Status != recon.StatusError {
		t.Fatalf("status %s, want error", res.Status)
	}
	if !strings.Contains(res.Err, "did not answer") || !strings.Contains(res.Err, "--resolver") || !strings.Contains(res.Err, addr) {
		t.Errorf("error %q", res.Err)
	}
	f := res.Facts.(*recon.DNSFacts)
	if !strings.Contains(f.Errors["A"], "no answer from") {
		t.Errorf("per-type error %q", f.Errors["A"])
	}
}

func TestExchangeTimeout(t *testing.T) {
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {})
	res, f := run(t, silent, "slow.test", func(e *recon.Env) { e.Limits.DNSTimeout = 100 * time.Millisecond })
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "did not answer") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
	if !strings.Contains(f.Errors["TXT"], "within the time limit") {
		t.Errorf("TXT error %q", f.Errors["TXT"])
	}
}

// TestTruncatedRetriedOverTCP: 60 TXT records do not fit a 1232-byte UDP
// answer; the Zone truncates it and the answer must come over TCP.
func TestTruncatedRetriedOverTCP(t *testing.T) {
	var recs []string
	for i := 0; i < 60; i++ {
		recs = append(recs, `big.test. 300 IN TXT "token-`+strings.Repeat("x", 40)+`-`+string(rune('A'+i%26))+string(rune('a'+i/26))+`"`)
	}
	recs = append(recs, "big.test. 300 IN A 192.0.2.5")
	z := recontest.NewZone(t, recs...)
	var tcpTXT, udpTXT atomic.Int32
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if r.Question[0].Qtype == dns.TypeTXT {
			if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
				tcpTXT.Add(1)
			} else {
				udpTXT.Add(1)
			}
		}
		z.ServeDNS(w, r)
	})
	res, f := run(t, h, "big.test", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if len(f.TXT) != 60 {
		t.Errorf("got %d TXT records, want 60 (the truncated UDP answer was used?)", len(f.TXT))
	}
	if udpTXT.Load() != 1 || tcpTXT.Load() != 1 {
		t.Errorf("TXT over UDP %d, over TCP %d; want 1 and 1", udpTXT.Load(), tcpTXT.Load())
	}
}

func TestPTR(t *testing.T) {
	z := recontest.NewZone(t,
		"47.101.220.185.in-addr.arpa. 300 IN PTR Tor-Exit.Example.NET.",
		"47.101.220.185.in-addr.arpa. 300 IN PTR second.example.org.",
	)
	res, f := run(t, z, "185.220.101.47", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if want := []string{"tor-exit.example.net", "second.example.org"}; !reflect.DeepEqual(f.PTR, want) {
		t.Errorf("PTR %v, want %v", f.PTR, want)
	}
	if !hasPivot(res.Pivots, recon.PivotDomain, "tor-exit.example.net", "PTR") {
		t.Errorf("pivots %+v", res.Pivots)
	}
	if f.Name != "185.220.101.47" || len(f.A) != 0 || z.Count("185.220.101.47", dns.TypeA) != 0 {
		t.Errorf("an IP target asks only PTR: %+v", f)
	}
}

func TestPTRv6AndNone(t *testing.T) {
	rev, _ := dns.ReverseAddr("2001:4860:4860::8888")
	z := recontest.NewZone(t, rev+" 300 IN PTR dns.google.")
	res, f := run(t, z, "2001:4860:4860::8888", nil)
	if res.Status != recon.StatusOK || !reflect.DeepEqual(f.PTR, []string{"dns.google"}) {
		t.Errorf("v6: status %s PTR %v", res.Status, f.PTR)
	}
	res, f = run(t, z, "8.8.4.4", nil) // NXDOMAIN: no PTR, still ok
	if res.Status != recon.StatusOK || len(f.PTR) != 0 || len(f.Errors) != 0 {
		t.Errorf("no PTR: status %s facts %+v", res.Status, f)
	}
}

func TestNullMXFacts(t *testing.T) {
	z := recontest.NewZone(t, "nomail.test. 300 IN MX 0 .", "nomail.test. 300 IN A 192.0.2.1")
	res, f := run(t, z, "nomail.test", nil)
	if !reflect.DeepEqual(f.MX, []recon.MXRecord{{Host: ".", Pref: 0}}) {
		t.Errorf("MX %+v", f.MX)
	}
	for _, p := range res.Pivots {
		if p.Kind == recon.PivotMX {
			t.Errorf("null MX must not pivot: %+v", p)
		}
	}
}

func TestEmailTargetUsesDomain(t *testing.T) {
	z := recontest.NewZone(t, "mail.test. 300 IN A 192.0.2.9")
	res, f := run(t, z, "Someone@Mail.Test", nil)
	if res.Status != recon.StatusOK || f.Name != "mail.test" || !reflect.DeepEqual(f.A, []string{"192.0.2.9"}) {
		t.Errorf("status %s facts %+v", res.Status, f)
	}
}

func TestCNAMELoopIsBounded(t *testing.T) {
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		for _, s := range []string{"loop.test. 60 IN CNAME b.loop.test.", "b.loop.test. 60 IN CNAME loop.test."} {
			rr, _ := dns.NewRR(s)
			m.Answer = append(m.Answer, rr)
		}
		_ = w.WriteMsg(m)
	})
	res, f := run(t, h, "loop.test", nil)
	if !reflect.DeepEqual(f.CNAME, []string{"b.loop.test", "loop.test"}) {
		t.Errorf("chain %v", f.CNAME)
	}
	if hasPivot(res.Pivots, recon.PivotDomain, "loop.test", "CNAME") || !hasPivot(res.Pivots, recon.PivotDomain, "b.loop.test", "CNAME") {
		t.Errorf("pivots %+v", res.Pivots)
	}
}

// TestAddrPTR: a domain's public addresses get their reverse names (a
// shared-hosting server name is cluster evidence); an address without one
// and a non-public address are left out.
func TestAddrPTR(t *testing.T) {
	z := recontest.NewZone(t,
		"shop.test. 300 IN A 162.241.218.77",
		"shop.test. 300 IN A 5.6.7.8",
		"shop.test. 300 IN A 10.0.0.1",
		"77.218.241.162.in-addr.arpa. 300 IN PTR box5123.bluehost.com.")
	res, f := run(t, z, "shop.test", nil)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if len(f.AddrPTR) != 1 || len(f.AddrPTR["162.241.218.77"]) != 1 || f.AddrPTR["162.241.218.77"][0] != "box5123.bluehost.com" {
		t.Errorf("addr_ptr %v", f.AddrPTR)
	}
	for _, p := range res.Pivots {
		if p.Relation == recon.RelPTR {
			t.Errorf("a domain scan pivots on a reverse name: %+v", p)
		}
	}
}
