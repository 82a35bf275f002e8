package stixcheck_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/export"
	"github.com/netspecter/netspecter-tui/export/internal/stixcheck"
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// TestSTIXOfFingerprints scans the fingerprint world (two shops sharing a
// Google Analytics ID and a favicon, stock nginx pages, Tomcat's stock
// icon) and validates the bundle: favicons are file objects with their
// SHA-256 and Shodan hash, analytics IDs and page hashes notes on the
// domains that carry them, every export format takes the new kinds.
func TestSTIXOfFingerprints(t *testing.T) {
	st := stixcheck.Load(t)
	f, err := os.Open("../../../testdata/lab/fingerprints.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := lab.LoadWorld(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l, err := lab.Start(context.Background(), w, lab.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	sc := recon.NewScanner(l.Env(), modules.All())
	s := pivot.NewSession(now)
	for _, d := range []string{"shop-a.com", "shop-b.net", "shop-c.org", "nginx-a.com", "nginx-b.com"} {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d})
		s.Attach(n.ID, sc.Scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: d}, recon.ScanOptions{}), now)
	}
	var b bytes.Buffer
	if err := export.Write(&b, "stix", s, export.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	objs := stixcheck.CheckBundle(t, st, b.Bytes())
	var files, notes int
	for _, o := range objs {
		switch o["type"] {
		case "file":
			files++
			h, _ := o["hashes"].(map[string]any)
			if h["x_shodan_favicon_mmh3"] == nil || h["SHA-256"] == nil {
				t.Errorf("favicon file without its hashes: %v", o)
			}
		case "note":
			if labels, _ := o["labels"].([]any); len(labels) > 1 && labels[1] == "fingerprint" {
				notes++
				if strings.Contains(o["abstract"].(string), "G-SHOP424242") && len(o["object_refs"].([]any)) != 2 {
					t.Errorf("the shared analytics ID refers to %v", o["object_refs"])
				}
			}
		}
	}
	if files != 2 { // the shops' custom icon and Tomcat's
		t.Errorf("%d favicon files, want 2", files)
	}
	// G-SHOP424242, G-GAMMA99999, and the page hashes (three shop pages, one nginx page).
	if notes != 6 {
		t.Errorf("%d fingerprint notes, want 6", notes)
	}
	for _, format := range []string{"md", "csv", "dot", "mermaid", "json"} {
		var out bytes.Buffer
		if err := export.Write(&out, format, s, export.Options{Now: now}); err != nil {
			t.Errorf("%s: %v", format, err)
		}
		if format != "json" && !strings.Contains(out.String(), "G-SHOP424242") {
			t.Errorf("%s export does not mention the shared analytics ID", format)
		}
	}
}
