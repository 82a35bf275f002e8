package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/doctor"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

// faultScan runs scan with --faults as text and as JSON and returns both.
func faultScan(t *testing.T, faults, target string, extra ...string) (text string, textCode int, rep map[string]any, typed *recon.Report, jsonCode int) {
	t.Helper()
	args := append([]string{"scan", "--demo", "--no-color", "--timeout", "5s", "--faults", faults}, extra...)
	text, errs, textCode := cli(t, append(args, target)...)
	if textCode != exitOK && textCode != exitPartial {
		t.Fatalf("scan --faults %s: exit %d: %s", faults, textCode, errs)
	}
	out, errs, jsonCode := cli(t, append(append(args, "--json"), target)...)
	if jsonCode != exitOK && jsonCode != exitPartial {
		t.Fatalf("scan --json --faults %s: exit %d: %s", faults, jsonCode, errs)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	typed = new(recon.Report)
	if err := json.Unmarshal([]byte(out), typed); err != nil {
		t.Fatal(err)
	}
	return text, textCode, rep, typed, jsonCode
}

func module(rep map[string]any, id string) map[string]any {
	m, _ := rep["modules"].(map[string]any)[id].(map[string]any)
	return m
}

func noticeKinds(r *recon.Report) []string {
	var k []string
	for _, n := range r.Notices {
		k = append(k, n.Kind)
	}
	return k
}

// Each network condition of issue 15, as the scan says it in text and JSON.
func TestScanUnderNetworkFaults(t *testing.T) {
	t.Run("block=43 with RDAP refusing too", func(t *testing.T) {
		text, code, rep, typed, jcode := faultScan(t, "block=43,block=443", "nova-parcels.com", "--modules", "whois")
		w := module(rep, "whois")
		facts, _ := w["facts"].(map[string]any)
		if w["status"] != "error" || facts["registration"] != "unknown" {
			t.Errorf("whois %v", w)
		}
		if _, has := facts["registered"]; has {
			t.Errorf(`JSON carries "registered" without a registry answer: %v`, facts)
		}
		if recon.FactsOf[recon.WhoisFacts](typed, "whois").IsFree() {
			t.Error("read back as free")
		}
		for _, want := range []string{"TCP port 43", "connection refused", "registered     unknown — no registry answered"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "free") || strings.Contains(text, "not registered") {
			t.Errorf("text calls the name free:\n%s", text)
		}
		for _, s := range typed.Assessment.Signals {
			if strings.Contains(s.Text, "not registered") {
				t.Errorf("assessment: %s", s.Text)
			}
		}
		if code != exitPartial || jcode != exitPartial {
			t.Errorf("exit %d / %d, want %d", code, jcode, exitPartial)
		}
	})

	t.Run("dnsbl=refused with no other way", func(t *testing.T) {
		text, code, _, typed, _ := faultScan(t, "dnsbl=refused,block=53", "nova-parcels.com", "--modules", "threat")
		f := recon.FactsOf[recon.ThreatFacts](typed, "threat")
		if f == nil || len(f.Checks) == 0 {
			t.Fatalf("no checks: %+v", typed.Modules["threat"])
		}
		for _, c := range f.Checks {
			if c.Result != recon.DNSBLUnknown || !c.Refused {
				t.Errorf("check %+v", c)
			}
		}
		for _, s := range typed.Assessment.Signals {
			if strings.Contains(s.Text, "listed on") || strings.Contains(strings.ReplaceAll(s.Text, "not clean", ""), "clean") {
				t.Errorf("assessment says %q", s.Text)
			}
		}
		if !strings.Contains(strings.Join(noticeKinds(typed), " "), recon.NoticeDNSBLRefused) {
			t.Errorf("notices %v", typed.Notices)
		}
		if strings.Contains(text, "dbl.spamhaus.org: clean") || strings.Contains(text, ": LISTED") || !strings.Contains(text, "185.220.101.47 @ zen.spamhaus.org: unknown") {
			t.Errorf("text:\n%s", text)
		}
		if code != exitPartial {
			t.Errorf("exit %d", code)
		}
	})

	t.Run("dnsbl=refused answered by the zones' name servers", func(t *testing.T) {
		text, _, _, typed, _ := faultScan(t, "dnsbl=refused", "nova-parcels.com", "--modules", "threat")
		f := recon.FactsOf[recon.ThreatFacts](typed, "threat")
		for _, c := range f.Checks {
			if c.Result == recon.DNSBLUnknown || c.Via == "" {
				t.Errorf("check %+v", c)
			}
		}
		if !strings.Contains(text, "Your network") || !strings.Contains(text, "refused the resolver") || !strings.Contains(text, "name servers") {
			t.Errorf("text:\n%s", text)
		}
	})

	t.Run("nxdomain=rewrite", func(t *testing.T) {
		text, _, _, typed, _ := faultScan(t, "nxdomain=rewrite", "no-such-name-here.com")
		if !strings.Contains(strings.Join(noticeKinds(typed), " "), recon.NoticeNXRewrite) {
			t.Errorf("notices %v", typed.Notices)
		}
		d := recon.FactsOf[recon.DNSFacts](typed, "dns")
		if d == nil || !d.NXDomain || len(d.A) != 0 || strings.Join(d.Rewritten, ",") != lab.NXRewriteAddr {
			t.Errorf("dns facts %+v", d)
		}
		for _, p := range typed.Pivots() {
			if p.Value == lab.NXRewriteAddr {
				t.Errorf("the rewrite address became a pivot: %+v", p)
			}
		}
		if g := recon.FactsOf[recon.GeoFacts](typed, "geoip"); g != nil && len(g.IPs) > 0 {
			t.Errorf("the rewrite address was located: %+v", g.IPs)
		}
		for _, want := range []string{"rewrites NXDOMAIN", lab.NXRewriteAddr, "the name does not exist"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
	})

	t.Run("tls=intercept", func(t *testing.T) {
		text, _, _, typed, _ := faultScan(t, "tls=intercept", "nova-parcels.com", "--modules", "ssl")
		s := recon.FactsOf[recon.SSLFacts](typed, "ssl")
		if s == nil || s.Intercepted == nil || !strings.Contains(s.Intercepted.Issuer, lab.InterceptCAName) {
			t.Fatalf("ssl facts %+v", s)
		}
		for _, c := range s.Certs {
			if strings.Contains(c.Issuer, lab.InterceptCAName) {
				t.Errorf("the proxy's certificate is among the site's: %+v", c)
			}
		}
		for _, p := range typed.Modules["ssl"].Pivots {
			for _, c := range s.Intercepted.Certs {
				if p.Value == c.SHA256 || p.Value == c.PubkeySHA256 {
					t.Errorf("a pivot on the proxy's certificate: %+v", p)
				}
			}
		}
		if !strings.Contains(strings.Join(noticeKinds(typed), " "), recon.NoticeTLSIntercept) {
			t.Errorf("notices %v", typed.Notices)
		}
		if !strings.Contains(text, "TLS intercepted by a proxy on your network: certificate facts are the proxy's") {
			t.Errorf("text:\n%s", text)
		}
	})

	t.Run("resolver=refused", func(t *testing.T) {
		text, code, _, typed, jcode := faultScan(t, "resolver=refused", "nova-parcels.com")
		if code == exitOK || jcode == exitOK {
			t.Errorf("exit 0 when the resolver refused everything")
		}
		if !strings.Contains(strings.Join(noticeKinds(typed), " "), recon.NoticeResolverRefused) {
			t.Errorf("notices %v", typed.Notices)
		}
		if !strings.Contains(text, "refused to answer (REFUSED)") {
			t.Errorf("text:\n%s", text)
		}
		e := recon.FactsOf[recon.EmailFacts](typed, "email")
		if e == nil || !e.SPFUnread() || !e.DMARCUnread() {
			t.Errorf("email facts %+v", e)
		}
		for _, want := range []string{"SPF            unknown", "DMARC          unknown", "spoofable      unknown"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q", want)
			}
		}
		if strings.Contains(text, "SPF            none") || strings.Contains(text, "spoofable mail") {
			t.Errorf("unread mail records shown as a finding:\n%s", text)
		}
	})
}

// A failed module's block always says why (issue 16 item 7).
func TestScanTextPrintsEveryModuleError(t *testing.T) {
	_, _, _, typed, _ := faultScan(t, "block=443", "nova-parcels.com")
	var b strings.Builder
	printReport(&b, typed, true, "")
	text := b.String()
	n := 0
	for id, m := range typed.Modules {
		if m.Status != recon.StatusError && m.Status != recon.StatusRateLimited {
			continue
		}
		n++
		if m.Err == "" || !strings.Contains(text, m.Err[:min(len(m.Err), 40)]) {
			t.Errorf("module %s (%s): error %q not in the text", id, m.Status, m.Err)
		}
	}
	if n == 0 {
		t.Fatal("block=443 failed no module")
	}
	// A module that failed without a reason still gets a line.
	rep := &recon.Report{Target: typed.Target, Modules: map[string]*recon.ModuleResult{
		"ports": {Status: recon.StatusError, Touch: recon.TouchThirdParty, Facts: &recon.PortsFacts{}},
	}}
	b.Reset()
	printReport(&b, rep, true, "")
	if !strings.Contains(b.String(), "the module gave no reason") {
		t.Errorf("bare failed block:\n%s", b.String())
	}
}

func TestDoctorCLI(t *testing.T) {
	out, errs, code := cli(t, "doctor", "--demo", "--no-color")
	if code != exitOK || !strings.Contains(out, "every source is usable") {
		t.Errorf("doctor --demo: exit %d\n%s%s", code, out, errs)
	}
	out, _, code = cli(t, "doctor", "--demo", "--no-color", "--faults", "block=43")
	if code == exitOK || !strings.Contains(out, "FAIL  WHOIS (TCP 43)") || !strings.Contains(out, "port 43") {
		t.Errorf("doctor --faults block=43: exit %d\n%s", code, out)
	}
	out, _, code = cli(t, "doctor", "--demo", "--json", "--faults", "resolver=refused")
	var cs []doctor.Check
	if err := json.Unmarshal([]byte(out), &cs); err != nil || code != exitPartial || doctor.Usable(cs) {
		t.Errorf("doctor --json: exit %d, %v\n%s", code, err, out)
	}
	if _, errs, code := cli(t, "doctor", "--demo", "example.com"); code != exitUsage || !strings.Contains(errs, "no targets") {
		t.Errorf("doctor with a target: exit %d %s", code, errs)
	}
}

// The GeoIP folder the hint recommends is searched.
func TestGeoIPFolderFromXDG(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Demo(), lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	src := l.Env().GeoIP.Files
	data := t.TempDir()
	dir := filepath.Join(data, "GeoIP")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range src {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("XDG_DATA_HOME", data)
	env, err := realEnv(options{resolver: "127.0.0.1:1"}, &config{})
	if err != nil {
		t.Fatal(err)
	}
	if env.GeoIP == nil || len(env.GeoIP.Files) != 2 || !strings.HasPrefix(env.GeoIP.Files[0], dir) {
		t.Errorf("GeoIP from $XDG_DATA_HOME/GeoIP: %+v", env.GeoIP)
	}
}

func TestProxyFlag(t *testing.T) {
	if _, errs, code := cli(t, "scan", "--demo", "--proxy", "socks5://127.0.0.1:9050", "nova-parcels.com"); code != exitError || !strings.Contains(errs, "does not apply to the lab") {
		t.Errorf("--proxy in the lab: exit %d %s", code, errs)
	}
	t.Setenv("ALL_PROXY", "")
	t.Setenv("HTTPS_PROXY", "")
	env, err := realEnv(options{resolver: "https://127.0.0.1:8443/dns-query", proxy: "socks5://user:secret@127.0.0.1:9050"}, &config{})
	if err != nil {
		t.Fatal(err)
	}
	if env.Resolver != "https://127.0.0.1:8443/dns-query" || env.Proxy != "socks5://user:xxxxx@127.0.0.1:9050" || env.PublicRoots == nil {
		t.Errorf("resolver %q proxy %q roots %v", env.Resolver, env.Proxy, env.PublicRoots != nil)
	}
	if _, err := realEnv(options{resolver: "127.0.0.1:53", proxy: "ftp://x:1"}, &config{}); err == nil {
		t.Error("ftp proxy accepted")
	}
}

// WHOIS of a site under a platform suffix asks the ICANN domain and says
// the record is the platform's; it gives no verdict and no cluster key.
func TestScanPlatformSubdomain(t *testing.T) {
	world := `{"name": "platform", "tlds": {"dev": "whois.nic.google"},
	  "registrars": {"whois.markmonitor.com": {"name": "MarkMonitor Inc.", "iana_id": 292}},
	  "domains": {"pages.dev": {
	    "records": {"@": {"A": ["172.66.44.1"], "NS": ["ns1.cloudflare.com."]}, "evil-login": {"A": ["172.66.44.1"]}},
	    "whois": {"registrar_whois_server": "whois.markmonitor.com", "created": "-5y"}}}}`
	path := filepath.Join(t.TempDir(), "platform.json")
	if err := os.WriteFile(path, []byte(world), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, "scan", "--world", path, "--json", "--modules", "whois", "evil-login.pages.dev")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep recon.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	w := recon.FactsOf[recon.WhoisFacts](&rep, "whois")
	if w == nil || w.Domain != "pages.dev" || w.Platform != "pages.dev" || w.Registrar != "MarkMonitor Inc." {
		t.Fatalf("whois facts %+v", w)
	}
	if len(rep.Modules["whois"].Pivots) != 0 {
		t.Errorf("the platform's registrar became a pivot: %+v", rep.Modules["whois"].Pivots)
	}
	for _, s := range rep.Assessment.Signals {
		if s.Module == "whois" {
			t.Errorf("a verdict from the platform's WHOIS: %s", s.Text)
		}
	}
	text, _, _ := cli(t, "scan", "--world", path, "--no-color", "--modules", "whois", "evil-login.pages.dev")
	if !strings.Contains(text, "describes the platform's domain pages.dev, not the site's owner") {
		t.Errorf("text:\n%s", text)
	}
}
