package detail

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

var now = time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)

func TestRenderModules(t *testing.T) {
	created := now.AddDate(0, 0, -20)
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "example.com"}, Modules: map[string]*recon.ModuleResult{
		"dns":     {Status: recon.StatusOK, Touch: recon.TouchThirdParty, Facts: &recon.DNSFacts{Name: "example.com", A: []string{"192.0.2.1"}, TXT: []string{"\x1b]52;c;eA==\a"}}},
		"whois":   {Status: recon.StatusOK, Facts: &recon.WhoisFacts{Registered: true, Registrar: "NameCheap", Created: &created}},
		"ssl":     {Status: recon.StatusRateLimited, Err: "crt.sh said 429"},
		"geoip":   {Status: recon.StatusOK, Facts: &recon.GeoFacts{IPs: []recon.IPGeo{{IP: "192.0.2.1", Country: "Germany", ASN: 64500, ASOrg: "Example AS", Network: "192.0.2.0/24", Registry: "ripencc", Allocated: "2019-03-12"}}}},
		"ports":   {Status: recon.StatusError, Err: "timeout"},
		"email":   {Status: recon.StatusOK, Facts: &recon.EmailFacts{Spoofable: true, SpoofReason: "no SPF"}},
		"headers": {Status: recon.StatusSkipped, Err: "passive-strict: the site is not contacted"},
	}}
	recon.Assess(rep, now)
	s := pivot.NewSession(now)
	n := s.AddRoot(rep.Target)
	s.Attach(n.ID, rep, now)
	out := Render(styles.Default(), Input{Session: s, Node: n, Width: 80, Now: now})
	for _, want := range []string{
		"Overall Assessment", "YELLOW", "flags in 2 groups, not yet converging", "192.0.2.1", `\x1b]52;c;eA==\x07`, "NameCheap", "(20 days ago)",
		"rate-limited: crt.sh said 429", "not \"no results\"", "error: timeout — press r to rescan",
		"skipped: passive-strict", "AS64500 Example AS", "192.0.2.0/24 ripencc · allocated 2019-03-12", "spoofable", "YES",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	// Module blocks come in recon.ModuleIDs order.
	if strings.Index(out, "DNS records") > strings.Index(out, "WHOIS") || strings.Index(out, "WHOIS") > strings.Index(out, "HTTP headers") {
		t.Error("modules out of order")
	}
	for _, l := range strings.Split(out, "\n") {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
		if strings.ContainsAny(l, "\x1b\a") {
			t.Errorf("control byte in %q", l)
		}
	}
}

func TestRenderSharingForNonScannable(t *testing.T) {
	s := pivot.NewSession(now)
	for _, d := range []string{"a.example", "b.example"} {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d})
		s.Attach(n.ID, &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: d}, Modules: map[string]*recon.ModuleResult{
			"geoip": {Status: recon.StatusOK, Pivots: []recon.Pivot{{Kind: recon.PivotASN, Value: "AS64500", Relation: recon.RelASN}}},
		}}, now)
	}
	asn := s.Node(s.Node(s.Roots()[0]).Children[0])
	out := Render(styles.Default(), Input{Session: s, Node: asn, Width: 80, Now: now})
	if !strings.Contains(out, "Shared by") || !strings.Contains(out, "a.example") || !strings.Contains(out, "b.example") {
		t.Fatalf("sharing list:\n%s", out)
	}
}

func TestFalsePositiveShownStruck(t *testing.T) {
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "x.example"}, Modules: map[string]*recon.ModuleResult{
		"email": {Status: recon.StatusOK, Facts: &recon.EmailFacts{}},
	}}
	recon.Assess(rep, now)
	s := pivot.NewSession(now)
	n := s.AddRoot(rep.Target)
	s.Attach(n.ID, rep, now)
	s.MarkFalsePositive(n.ID, pivot.SignalFalsePositive(rep.Assessment.Signals[0]), "parked domain", now)
	out := Render(styles.Default(), Input{Session: s, Node: n, Width: 80, Now: now})
	if !strings.Contains(out, "false positive: parked domain") || !strings.Contains(out, "GREEN") {
		t.Fatalf("false positive not applied:\n%s", out)
	}
}

// TestRenderWords: a status is said once, counts agree with their nouns,
// module headings are not verdict marks, and lines break between words
// only (never inside a host name or a date).
func TestRenderWords(t *testing.T) {
	created := now.AddDate(-1, -11, 0)
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "api.meridian-freight.com"}, Modules: map[string]*recon.ModuleResult{
		"whois": {Status: recon.StatusOK, Facts: &recon.WhoisFacts{Registered: true, Registrar: "MarkMonitor Inc.", Created: &created,
			NameServers: []string{"ns1.meridian-freight.com", "ns2.meridian-freight.com", "ns3.meridian-freight.com"}}},
		"subdomains": {Status: recon.StatusOK, Facts: &recon.SubdomainFacts{Names: []string{"www.meridian-freight.com"}, Total: 1, Source: "certspotter"}},
		"threat": {Status: recon.StatusOK, Facts: &recon.ThreatFacts{Keyed: []recon.KeyedResult{
			{Source: "virustotal", Status: recon.StatusSkipped, Detail: "skipped: no key (set NETSPECTER_VIRUSTOTAL_KEY)"},
			{Source: "abuseipdb", Status: recon.StatusOK, Detail: "192.0.2.1: no record"},
		}}},
	}}
	recon.Assess(rep, now)
	s := pivot.NewSession(now)
	n := s.AddRoot(rep.Target)
	s.Attach(n.ID, rep, now)
	for _, width := range []int{30, 44, 80} {
		out := Render(styles.Default(), Input{Session: s, Node: n, Width: width, Now: now})
		for _, bad := range []string{"skipped skipped", "1 names", "■ WHOIS", "■ Subdomains", "abuseipdb clean"} {
			if strings.Contains(out, bad) {
				t.Errorf("width %d: %q in\n%s", width, bad, out)
			}
		}
		for _, want := range []string{"virustotal   skipped no key", "1 name ", "1 year 11 months ago", "abuseipdb    not known"} {
			if width >= 80 && !strings.Contains(out, want) {
				t.Errorf("width %d: no %q in\n%s", width, want, out)
			}
		}
		for _, whole := range []string{"ns1.meridian-freight.com", "ns3.meridian-freight.com", created.Format("2006-01-02"), "www.meridian-freight.com"} {
			if !strings.Contains(out, whole) {
				t.Errorf("width %d: %q broken across lines:\n%s", width, whole, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line of %d cells: %q", width, w, l)
			}
		}
	}
}

// Could-not-check is never shown as a finding: a WHOIS no registry answered
// is not "free", unread SPF/DMARC are not "none" (issue 15).
func TestRenderCouldNotCheck(t *testing.T) {
	for _, tt := range []struct {
		name    string
		mods    map[string]*recon.ModuleResult
		want    []string
		notWant []string
	}{
		{"whois unknown", map[string]*recon.ModuleResult{
			"whois": {Status: recon.StatusError, Err: "could not connect to WHOIS server whois.iana.org:43", Facts: &recon.WhoisFacts{Domain: "example.com"}},
		}, []string{"unknown — no registry answered", "could not connect"}, []string{"free"}},
		{"whois free", map[string]*recon.ModuleResult{
			"whois": {Status: recon.StatusOK, Facts: &recon.WhoisFacts{Domain: "example.com", Registration: recon.RegFree}},
		}, []string{"the registry says the name is free"}, []string{"unknown"}},
		{"mail unread", map[string]*recon.ModuleResult{
			"email": {Status: recon.StatusError, Err: "email: could not read the SPF record", Facts: &recon.EmailFacts{
				Errors: map[string]string{"MX": "SERVFAIL", "TXT": "SERVFAIL", "_dmarc TXT": "timeout"}, SpoofReason: "unknown: the SPF record could not be read"}},
		}, []string{"SPF", "DMARC", "unknown — could not be read", "spoofable"}, []string{"none", "YES"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "example.com"}, Modules: tt.mods}
			recon.Assess(rep, now)
			s := pivot.NewSession(now)
			n := s.AddRoot(rep.Target)
			s.Attach(n.ID, rep, now)
			out := Render(styles.Default(), Input{Session: s, Node: n, Width: 100, Now: now})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("%q shown in:\n%s", w, out)
				}
			}
		})
	}
}

// The network's notices are shown before the verdict, escaped.
func TestRenderNotices(t *testing.T) {
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "example.com"},
		Modules: map[string]*recon.ModuleResult{"dns": {Status: recon.StatusOK, Facts: &recon.DNSFacts{Name: "example.com"}}},
		Notices: []recon.Notice{{Kind: recon.NoticeTLSIntercept, Text: "TLS intercepted by a proxy on your network: certificate facts are the proxy's (\x1b[2J)"}}}
	recon.Assess(rep, now)
	s := pivot.NewSession(now)
	n := s.AddRoot(rep.Target)
	s.Attach(n.ID, rep, now)
	out := Render(styles.Default(), Input{Session: s, Node: n, Width: 100, Now: now})
	if !strings.Contains(out, "Your network") || !strings.Contains(out, "certificate facts are the proxy's") ||
		strings.Index(out, "Your network") > strings.Index(out, "Overall Assessment") ||
		strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[2J`) {
		t.Errorf("notices:\n%s", out)
	}
}
