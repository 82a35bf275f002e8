package detail

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
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
		"Overall Assessment", "RED", "192.0.2.1", `\x1b]52;c;eA==\x07`, "NameCheap", "(20 days ago)",
		"rate-limited: crt.sh said 429", "not \"no results\"", "error: timeout — press r to rescan",
		"skipped: passive-strict", "AS64500 Example AS", "192.0.2.0/24  ripencc · allocated 2019-03-12", "spoofable", "YES",
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
	s.MarkFalsePositive(n.ID, SignalKey(rep.Assessment.Signals[0]), "parked domain", now)
	out := Render(styles.Default(), Input{Session: s, Node: n, Width: 80, Now: now})
	if !strings.Contains(out, "false positive: parked domain") || !strings.Contains(out, "GREEN") {
		t.Fatalf("false positive not applied:\n%s", out)
	}
}
