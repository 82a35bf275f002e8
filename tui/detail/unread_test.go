package detail

import (
	"regexp"
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

// TestDetailStatesNoFindingUnread draws the detail of a scan whose
// questions went unanswered as the lab's faults leave them (block=443: no
// handshake, no page, no CT; block=43: the registry's thin RDAP only;
// resolver=refused: no mail records) and checks that no line states a
// finding about them, and that the assessment names what it lacks.
func TestDetailStatesNoFindingUnread(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	created := now.AddDate(-17, 0, 0)
	refused := "dial tcp 18.158.24.107:443: connect: connection refused"
	all := map[string]string{"MX": "REFUSED", "TXT": "REFUSED", "_dmarc TXT": "REFUSED", "_mta-sts TXT": "REFUSED", "_smtp._tls TXT": "REFUSED"}
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "meridian-freight.com"}, Started: now, Modules: map[string]*recon.ModuleResult{
		"whois": {Module: "whois", Status: recon.StatusOK, Facts: &recon.WhoisFacts{Domain: "meridian-freight.com", Registered: true, Registrar: "MarkMonitor Inc.",
			Created: &created, Source: "rdap", Servers: []string{"whois.iana.org:43", "https://rdap.verisign.com/com/v1/domain/meridian-freight.com"}}},
		"ssl":        {Module: "ssl", Status: recon.StatusError, Err: "18.158.24.107:443: " + refused, Facts: &recon.SSLFacts{Certs: []recon.CertFacts{}}},
		"headers":    {Module: "headers", Status: recon.StatusError, Err: "https: " + refused, Facts: &recon.HeadersFacts{URL: "http://meridian-freight.com/", HTTPSError: refused}},
		"subdomains": {Module: "subdomains", Status: recon.StatusError, Err: "Cert Spotter: " + refused, Facts: &recon.SubdomainFacts{Names: []string{}, Source: "certspotter", Fallback: "Cert Spotter failed: " + refused}},
		"ports":      {Module: "ports", Status: recon.StatusError, Err: "InternetDB: " + refused, Facts: &recon.PortsFacts{Hosts: []recon.HostPorts{}}},
		"email": {Module: "email", Status: recon.StatusError, Err: "email: could not read the SPF record", Facts: &recon.EmailFacts{Domain: "meridian-freight.com",
			Errors: all, SpoofReason: "unknown: the SPF record (TXT meridian-freight.com) could not be read"}},
	}}
	recon.Assess(rep, now)
	s := pivot.NewSession(now)
	n := s.AddRoot(rep.Target)
	s.Attach(n.ID, rep, now)
	out := ansi.Strip(Render(styles.Default(), Input{Session: s, Node: n, Width: 120, Now: now}))
	for _, tt := range []struct {
		what string
		bad  *regexp.Regexp
	}{
		{"Cloudflare without a page", regexp.MustCompile(`(?m)^\s*Cloudflare\s+no\b`)},
		{"a CT count without CT", regexp.MustCompile(`(?m)^\s*found\s+0 names`)},
		{"privacy from a thin record", regexp.MustCompile(`(?m)^\s*privacy\s+no\b`)},
		{"no certificate without a handshake", regexp.MustCompile(`no certificate`)},
		{"a mail posture without its records", regexp.MustCompile(`(?m)^\s*(SPF|DMARC|MTA-STS|TLS-RPT|MX|spoofable)\s+(none|no|YES)\b`)},
		{"no ports without InternetDB", regexp.MustCompile(`none known|no addresses checked`)},
		{"missing headers without a page", regexp.MustCompile(`(?m)^\s*missing\s`)},
	} {
		if m := tt.bad.FindString(out); m != "" {
			t.Errorf("%s: the detail says %q\n%s", tt.what, m, out)
		}
	}
	for _, want := range []string{"privacy      unknown", "spoofable    unknown"} {
		if !strings.Contains(out, want) {
			t.Errorf("the detail does not say %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "not checked: ssl (error)") || !strings.Contains(out, "email (error)") {
		t.Errorf("the assessment does not name the checks it lacks:\n%s", out)
	}
}
