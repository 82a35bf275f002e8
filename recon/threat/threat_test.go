package threat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

const v6 = "2001:db8::47"

var v6zen = IPQuery(netip.MustParseAddr(v6), "zen.spamhaus.org")

// testPointRecords answer the lists' RFC 5782 test points as the real
// lists do; without them a "not listed" is not trusted.
var testPointRecords = []string{
	"2.0.0.127.zen.spamhaus.org. 60 IN A 127.0.0.2",
	"dbltest.com.dbl.spamhaus.org. 60 IN A 127.0.1.2",
}

// world is the nova-parcels case: the domain on DBL (phishing), its IPv4
// address on SBL and PBL, its IPv6 address on PBL only.
func world(t *testing.T, extra ...string) *recontest.Zone {
	return recontest.NewZone(t, append([]string{
		"nova-parcels.com. 60 IN A 185.220.101.47",
		"nova-parcels.com. 60 IN AAAA " + v6,
		"nova-parcels.com.dbl.spamhaus.org. 60 IN A 127.0.1.4",
		`nova-parcels.com.dbl.spamhaus.org. 60 IN TXT "https://www.spamhaus.org/query/domain/nova-parcels.com"`,
		"47.101.220.185.zen.spamhaus.org. 60 IN A 127.0.0.2",
		"47.101.220.185.zen.spamhaus.org. 60 IN A 127.0.0.11",
		`47.101.220.185.zen.spamhaus.org. 60 IN TXT "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL654321 since 2024-11-12"`,
		v6zen + ". 60 IN A 127.0.0.10",
		`47.101.220.185.origin.asn.cymru.com. 60 IN TXT "205100 | 185.220.101.0/24 | DE | ripencc | 2019-02-04"`,
	}, append(extra, testPointRecords...)...)...)
}

func newEnv(t *testing.T, h dns.Handler) *recon.Env {
	t.Helper()
	env := recontest.Env(t, recontest.StartDNS(t, h), nil)
	env.VirusTotalURL = "http://127.0.0.1:1" // never reached without a key
	env.AbuseIPDBURL = "http://127.0.0.1:1"
	return env
}

func scan(t *testing.T, env *recon.Env, target string) (*recon.ModuleResult, *recon.ThreatFacts) {
	t.Helper()
	tg, err := recon.ParseTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := New().Run(ctx, recon.NewRun(env, tg))
	f, ok := res.Facts.(*recon.ThreatFacts)
	if !ok || f == nil {
		t.Fatalf("facts %T, result %+v", res.Facts, res)
	}
	return res, f
}

func bySubject(f *recon.ThreatFacts) map[string]recon.DNSBLCheck {
	m := map[string]recon.DNSBLCheck{}
	for _, c := range f.Checks {
		m[c.Subject+" "+c.Zone] = c
	}
	return m
}

func TestListed(t *testing.T) {
	z := world(t)
	env := newEnv(t, z)
	env.AbuseASNs = map[uint32]string{205100: "F3NETZE", 64500: "OTHER"}
	env.AbuseASNSource = "Spamhaus ASN-DROP 2026-11-01"
	res, f := scan(t, env, "nova-parcels.com")
	if res.Status != recon.StatusOK || len(f.Checks) != 3 {
		t.Fatalf("result %+v facts %+v", res, f)
	}
	c := bySubject(f)
	d := c["nova-parcels.com dbl.spamhaus.org"]
	if d.Result != recon.DNSBLListed || !slices.Equal(d.Codes, []string{"127.0.1.4"}) || d.Policy ||
		!strings.Contains(d.Meanings[0], "phishing") || !strings.Contains(d.TXT, "spamhaus.org/query") {
		t.Errorf("DBL check %+v", d)
	}
	ip := c["185.220.101.47 zen.spamhaus.org"]
	if ip.Result != recon.DNSBLListed || len(ip.Codes) != 2 || ip.Policy || ip.Since != "2024-11-12" {
		t.Errorf("ZEN check %+v", ip)
	}
	p := c[v6+" zen.spamhaus.org"]
	if p.Result != recon.DNSBLListed || !p.Policy {
		t.Errorf("IPv6 PBL check %+v", p)
	}
	if z.Count(v6zen, dns.TypeA) != 1 {
		t.Errorf("IPv6 nibble name asked %d times", z.Count(v6zen, dns.TypeA))
	}
	if len(f.ASN) != 1 || f.ASN[0] != (recon.ASNFlag{ASN: 205100, Org: "F3NETZE", IP: "185.220.101.47", Source: "Spamhaus ASN-DROP 2026-11-01"}) {
		t.Errorf("ASN flags %+v", f.ASN)
	}
	// The assessment reads these facts: the PBL-only IPv6 listing is policy, not abuse.
	rep := &recon.Report{Modules: map[string]*recon.ModuleResult{"threat": res}}
	a := recon.Assess(rep, time.Now())
	var listed int
	for _, s := range a.Signals {
		if strings.Contains(s.Text, "is listed on") {
			listed++
			if strings.Contains(s.Text, v6) {
				t.Errorf("policy listing raised: %s", s.Text)
			}
		}
	}
	if listed != 2 || a.Level != recon.LevelRed {
		t.Errorf("assessment %+v", a)
	}
}

func TestCleanAndDomainOnlyZones(t *testing.T) {
	z := recontest.NewZone(t, append([]string{"clean.example. 60 IN A 192.0.2.10"}, testPointRecords...)...)
	env := newEnv(t, z)
	res, f := scan(t, env, "clean.example")
	if res.Status != recon.StatusOK {
		t.Fatalf("result %+v", res)
	}
	for _, c := range f.Checks {
		if c.Result != recon.DNSBLClean || c.TXT != "" {
			t.Errorf("check %+v", c)
		}
	}
	if z.Count("clean.example.dbl.spamhaus.org", dns.TypeTXT) != 0 {
		t.Error("TXT fetched for a clean name")
	}
	// An IP target is not looked up in the domain zones.
	_, f = scan(t, env, "192.0.2.10")
	if len(f.Checks) != 1 || f.Checks[0].Zone != "zen.spamhaus.org" {
		t.Errorf("IP target checks %+v", f.Checks)
	}
}

func TestPublicResolverRefusedNeverListed(t *testing.T) {
	z := recontest.NewZone(t,
		"nova-parcels.com. 60 IN A 185.220.101.47",
		"nova-parcels.com.dbl.spamhaus.org. 60 IN A 127.255.255.254",
		"47.101.220.185.zen.spamhaus.org. 60 IN A 127.255.255.254",
	)
	res, f := scan(t, newEnv(t, z), "nova-parcels.com")
	if res.Status != recon.StatusRateLimited || !strings.Contains(res.Err, "--resolver") {
		t.Fatalf("result %+v", res)
	}
	for _, c := range f.Checks {
		if c.Result != recon.DNSBLUnknown || c.Reason != "resolver refused (127.255.255.254: public/open resolver)" || len(c.Meanings) != 0 {
			t.Errorf("check %+v", c)
		}
	}
	rep := &recon.Report{Modules: map[string]*recon.ModuleResult{"threat": res}}
	for _, s := range recon.Assess(rep, time.Now()).Signals {
		if s.Level == recon.LevelRed {
			t.Errorf("refusal became a red signal: %s", s.Text)
		}
	}
}

func TestUnknownAnswers(t *testing.T) {
	z := recontest.NewZone(t,
		"odd.example. 60 IN A 192.0.2.1",
		"odd.example. 60 IN A 192.0.2.2",
		"odd.example. 60 IN A 192.0.2.3",
		"odd.example.dbl.spamhaus.org. 60 IN A 127.0.0.1",    // refused (URIBL style)
		"1.2.0.192.zen.spamhaus.org. 60 IN A 198.51.100.200", // a resolver rewriting NXDOMAIN
		"3.2.0.192.zen.spamhaus.org. 60 IN A 127.0.1.255",    // the DBL error code: never a listing
	)
	z.Rcodes["2.2.0.192.zen.spamhaus.org."] = dns.RcodeServerFailure
	res, f := scan(t, newEnv(t, z), "odd.example")
	c := bySubject(f)
	if r := c["odd.example dbl.spamhaus.org"]; r.Result != recon.DNSBLUnknown || !strings.Contains(r.Reason, "127.0.0.1: query refused") {
		t.Errorf("127.0.0.1: %+v", r)
	}
	if r := c["192.0.2.1 zen.spamhaus.org"]; r.Result != recon.DNSBLUnknown || !strings.Contains(r.Reason, "outside 127.0.0.0/8") {
		t.Errorf("rewritten: %+v", r)
	}
	if r := c["192.0.2.2 zen.spamhaus.org"]; r.Result != recon.DNSBLUnknown || !strings.Contains(r.Reason, "SERVFAIL") {
		t.Errorf("SERVFAIL: %+v", r)
	}
	if r := c["192.0.2.3 zen.spamhaus.org"]; r.Result != recon.DNSBLUnknown {
		t.Errorf("127.0.1.255: %+v", r)
	}
	// One refusal and no answers: rate-limited, never "clean" or "listed".
	if res.Status != recon.StatusRateLimited {
		t.Errorf("status %s", res.Status)
	}
}

func TestAllFailed(t *testing.T) {
	z := recontest.NewZone(t)
	z.Rcodes["4.2.0.192.zen.spamhaus.org."] = dns.RcodeServerFailure
	res, f := scan(t, newEnv(t, z), "192.0.2.4")
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "SERVFAIL") || len(f.Checks) != 1 {
		t.Fatalf("result %+v", res)
	}
}

func TestTimeout(t *testing.T) {
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {})
	env := newEnv(t, silent)
	env.Limits.DNSTimeout = 100 * time.Millisecond
	res, f := scan(t, env, "192.0.2.4")
	if res.Status != recon.StatusError || len(f.Checks) != 1 || f.Checks[0].Result != recon.DNSBLUnknown || !strings.Contains(f.Checks[0].Reason, "timeout") {
		t.Fatalf("result %+v facts %+v", res, f)
	}
}

func TestPrivateAddressNotSent(t *testing.T) {
	z := recontest.NewZone(t, "evil.example. 60 IN A 10.0.0.1")
	env := newEnv(t, z)
	env.Lab = false
	_, f := scan(t, env, "evil.example")
	for _, c := range f.Checks {
		if c.Zone == "zen.spamhaus.org" {
			t.Errorf("private address checked: %+v", c)
		}
	}
	if z.Count("1.0.0.10.zen.spamhaus.org", dns.TypeA) != 0 {
		t.Error("private address sent to the blocklist")
	}
}

// ---- keyed sources --------------------------------------------------------

const (
	vtKey    = "vt-SECRET-0123456789abcdef"
	abuseKey = "abuse-SECRET-fedcba9876543210"
)

func keyedServer(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestKeyedSkippedWithoutKey(t *testing.T) {
	_, f := scan(t, newEnv(t, recontest.NewZone(t)), "192.0.2.9")
	want := []recon.KeyedResult{
		{Source: "virustotal", Status: recon.StatusSkipped, Detail: "skipped: no key (set NETSPECTER_VIRUSTOTAL_KEY)"},
		{Source: "abuseipdb", Status: recon.StatusSkipped, Detail: "skipped: no key (set NETSPECTER_ABUSEIPDB_KEY)"},
	}
	if !slices.Equal(f.Keyed, want) {
		t.Errorf("keyed %+v", f.Keyed)
	}
}

func TestKeyedWithKey(t *testing.T) {
	var vtPath, abuseQuery atomic.Value
	url := keyedServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/v3/"):
			if r.Header.Get("x-apikey") != vtKey {
				http.Error(w, `{"error":{"code":"WrongCredentialsError"}}`, http.StatusUnauthorized)
				return
			}
			vtPath.Store(r.URL.Path)
			fmt.Fprint(w, `{"data":{"id":"x","type":"domain","attributes":{"reputation":-30,"last_analysis_stats":{"harmless":60,"malicious":5,"suspicious":1,"undetected":24,"timeout":0}}}}`)
		case r.URL.Path == "/api/v2/check":
			if r.Header.Get("Key") != abuseKey {
				http.Error(w, `{"errors":[{"detail":"Authentication failed"}]}`, http.StatusUnauthorized)
				return
			}
			abuseQuery.Store(r.URL.RawQuery)
			fmt.Fprintf(w, `{"data":{"ipAddress":%q,"isWhitelisted":false,"abuseConfidenceScore":100,"totalReports":57,"lastReportedAt":"2026-11-02T10:00:00+00:00"}}`, r.URL.Query().Get("ipAddress"))
		default:
			http.NotFound(w, r)
		}
	})
	env := newEnv(t, world(t))
	env.VirusTotalURL, env.AbuseIPDBURL = url, url
	env.Keys = recon.Keys{VirusTotal: vtKey, AbuseIPDB: abuseKey}
	res, f := scan(t, env, "nova-parcels.com")
	if res.Status != recon.StatusOK || len(f.Keyed) != 3 {
		t.Fatalf("result %+v keyed %+v", res, f.Keyed)
	}
	vt := f.Keyed[0]
	if vt.Source != "virustotal" || vt.Status != recon.StatusOK || !vt.Malicious || !strings.Contains(vt.Detail, "5 of 90 engines") {
		t.Errorf("VirusTotal %+v", vt)
	}
	if vtPath.Load() != "/api/v3/domains/nova-parcels.com" {
		t.Errorf("VirusTotal path %v", vtPath.Load())
	}
	for _, a := range f.Keyed[1:] {
		if a.Source != "abuseipdb" || !a.Malicious || !strings.Contains(a.Detail, "abuse confidence 100%") {
			t.Errorf("AbuseIPDB %+v", a)
		}
	}
	if q, _ := abuseQuery.Load().(string); !strings.Contains(q, "ipAddress=") || !strings.Contains(q, "maxAgeInDays=90") {
		t.Errorf("AbuseIPDB query %q", q)
	}
	assertNoKey(t, res)

	// An IP target asks VirusTotal about the address.
	_, f = scan(t, env, "185.220.101.47")
	if vtPath.Load() != "/api/v3/ip_addresses/185.220.101.47" || !f.Keyed[0].Malicious {
		t.Errorf("IP target: path %v keyed %+v", vtPath.Load(), f.Keyed)
	}
}

func TestKeyedRateLimited(t *testing.T) {
	url := keyedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	env := newEnv(t, recontest.NewZone(t))
	env.VirusTotalURL, env.AbuseIPDBURL = url, url
	env.Keys = recon.Keys{VirusTotal: vtKey, AbuseIPDB: abuseKey}
	before := time.Now()
	res, f := scan(t, env, "192.0.2.9")
	for _, k := range f.Keyed {
		if k.Status != recon.StatusRateLimited || !strings.Contains(k.Detail, "retry after 1m0s") || k.Malicious {
			t.Errorf("keyed %+v", k)
		}
	}
	n := 0
	for _, s := range env.Sources.Snapshot() {
		if s.Service == "virustotal" || s.Service == "abuseipdb" {
			n++
			if s.RateLimited != 1 || s.LimitedUntil.Before(before.Add(59*time.Second)) {
				t.Errorf("stats %+v", s)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d keyed services counted", n)
	}
	assertNoKey(t, res)
}

// TestKeyNeverLeaks makes every keyed request fail in ways whose text could
// carry the key (a body echoing it, a rejected key, a dead server) and checks
// that neither the error nor the facts contain it.
func TestKeyNeverLeaks(t *testing.T) {
	echo := keyedServer(t, func(w http.ResponseWriter, r *http.Request) {
		k := r.Header.Get("x-apikey") + r.Header.Get("Key")
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/v3/"):
			http.Error(w, "bad key "+k, http.StatusUnauthorized)
		default:
			fmt.Fprint(w, `{"data":{"note":"`+k+`"}}`) // no score: a parse error
		}
	})
	// A server that hangs up without answering (no listen-close-reuse of a port).
	hangup := keyedServer(t, func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	})
	for _, base := range []string{echo, hangup} {
		env := newEnv(t, recontest.NewZone(t))
		env.VirusTotalURL, env.AbuseIPDBURL = base, base+"/"+abuseKey // even a URL holding the key
		env.Keys = recon.Keys{VirusTotal: vtKey, AbuseIPDB: abuseKey}
		res, f := scan(t, env, "192.0.2.9")
		for _, k := range f.Keyed {
			if k.Status != recon.StatusError {
				t.Errorf("%s: keyed %+v", base, k)
			}
		}
		assertNoKey(t, res)
		for _, s := range env.Sources.Snapshot() {
			if strings.Contains(s.LastError, "SECRET") {
				t.Errorf("key in source stats: %s", s.LastError)
			}
		}
	}
}

func assertNoKey(t *testing.T, res *recon.ModuleResult) {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b) + res.Err; strings.Contains(s, "SECRET") {
		t.Errorf("an API key leaked: %s", s)
	}
}
