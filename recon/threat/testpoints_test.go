package threat

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func TestTestPointsAndDQSZone(t *testing.T) {
	for _, tt := range []struct {
		zone           string
		ip             bool
		listed, unlist string
	}{
		{"zen.spamhaus.org", true, "2.0.0.127.zen.spamhaus.org", "1.0.0.127.zen.spamhaus.org"},
		{"dbl.spamhaus.org.", false, "dbltest.com.dbl.spamhaus.org", "invalid.dbl.spamhaus.org"},
		{"multi.surbl.org", false, "test.multi.surbl.org", "invalid.multi.surbl.org"},
	} {
		l, u := TestPoints(tt.zone, tt.ip)
		if l != tt.listed || u != tt.unlist {
			t.Errorf("TestPoints(%s) = %s, %s", tt.zone, l, u)
		}
	}
	for zone, want := range map[string]string{
		"zen.spamhaus.org": "KEY.zen.dq.spamhaus.net", "dbl.spamhaus.org": "KEY.dbl.dq.spamhaus.net",
		"multi.surbl.org": "", "a.b.spamhaus.org": "",
	} {
		if got := DQSZone(zone, "KEY"); got != want {
			t.Errorf("DQSZone(%s) = %q, want %q", zone, got, want)
		}
	}
	if DQSZone("zen.spamhaus.org", "") != "" {
		t.Error("a DQS zone without a key")
	}
}

// A list whose test points do not answer as RFC 5782 says (here: every
// name is "not listed") gives no "clean": the answer means nothing.
func TestCleanNeedsTestPoints(t *testing.T) {
	z := recontest.NewZone(t, "clean.example. 60 IN A 192.0.2.10")
	res, f := scan(t, newEnv(t, z), "clean.example")
	if res.Status == recon.StatusOK {
		t.Errorf("status ok without a working list: %+v", res)
	}
	for _, c := range f.Checks {
		if c.Result != recon.DNSBLUnknown || !strings.Contains(c.Reason, "always listed") {
			t.Errorf("check %+v", c)
		}
	}
	if len(f.Tests) != 2 || f.Tests[0].OK || f.Tests[1].OK {
		t.Errorf("tests %+v", f.Tests)
	}
}

func labScan(t *testing.T, faults string, tweak func(*recon.Env)) (*recon.ModuleResult, *recon.ThreatFacts) {
	t.Helper()
	f, err := lab.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Start(context.Background(), lab.Demo(), lab.Options{Faults: f, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	env := l.Env()
	if tweak != nil {
		tweak(env)
	}
	return scan(t, env, "nova-parcels.com")
}

func TestDNSBLRefused(t *testing.T) {
	// Through the resolver the lists refuse; their own name servers answer.
	res, f := labScan(t, "dnsbl=refused", nil)
	c := bySubject(f)
	if res.Status != recon.StatusOK || c["185.220.101.47 zen.spamhaus.org"].Result != recon.DNSBLListed ||
		c["nova-parcels.com dbl.spamhaus.org"].Result != recon.DNSBLClean || c["nova-parcels.com dbl.spamhaus.org"].Via != ViaDirect {
		t.Errorf("asked directly: %+v %+v", res, f.Checks)
	}
	for _, ts := range f.Tests {
		if !ts.OK || ts.Via != ViaDirect || !strings.Contains(ts.Detail, "127.255.255.254") {
			t.Errorf("test %+v", ts)
		}
	}
	// No other way (a firewall stops DNS to anything but the resolver, or a
	// proxy is set, which direct DNS would go around): unknown, never clean.
	for name, tw := range map[string]struct {
		faults string
		tweak  func(*recon.Env)
	}{
		"block=53": {"dnsbl=refused,block=53", nil},
		"proxy":    {"dnsbl=refused", func(e *recon.Env) { e.Proxy = "socks5://127.0.0.1:9050" }},
	} {
		res, f := labScan(t, tw.faults, tw.tweak)
		if res.Status != recon.StatusRateLimited {
			t.Errorf("%s: status %s", name, res.Status)
		}
		for _, c := range f.Checks {
			if c.Result != recon.DNSBLUnknown || !c.Refused || len(c.Meanings) != 0 {
				t.Errorf("%s: check %+v", name, c)
			}
		}
	}
}

// With a Spamhaus DQS key, refused public zones are asked through the
// resolver at <key>.zen.dq.spamhaus.net; the key never shows in the facts.
func TestDNSBLRefusedDQS(t *testing.T) {
	res, f := labScan(t, "dnsbl=refused,block=53", func(e *recon.Env) { e.Keys.SpamhausDQS = "s3cr3tk3y" })
	c := bySubject(f)
	if res.Status != recon.StatusOK || c["185.220.101.47 zen.spamhaus.org"].Result != recon.DNSBLListed ||
		c["nova-parcels.com dbl.spamhaus.org"].Result != recon.DNSBLClean || c["185.220.101.47 zen.spamhaus.org"].Via != ViaDQS {
		t.Errorf("via DQS: %+v %+v", res, f.Checks)
	}
	b, _ := json.Marshal(f)
	if strings.Contains(string(b), "s3cr3tk3y") {
		t.Errorf("the DQS key is in the facts: %s", b)
	}
}
