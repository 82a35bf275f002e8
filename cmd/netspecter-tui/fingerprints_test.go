package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

// fingerprintWorld: shop-a.com and shop-b.net share only a Google
// Analytics ID and a favicon (different addresses, ASNs, registrars, name
// servers, dates and mail postures); shop-c.org has its own ID and the same
// favicon; nginx-a.com and nginx-b.com serve the stock nginx page and
// Tomcat's stock icon (testdata/lab/fingerprints.json).
const fingerprintWorld = "../../testdata/lab/fingerprints.json"

func TestFingerprintWorldClusters(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fp.json")
	_, errs, code := cli(t, "investigate", "--world", fingerprintWorld, "--depth", "0", "-o", out,
		"shop-a.com", "shop-b.net", "shop-c.org", "nginx-a.com", "nginx-b.com")
	if code != 0 {
		t.Fatalf("investigate: exit %d: %s", code, errs)
	}
	s, err := pivot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	cl := s.Clusters()
	if len(cl) != 1 {
		t.Fatalf("%d clusters, want 1: %+v", len(cl), cl)
	}
	c := cl[0]
	if !slices.Equal(c.Members, []string{"shop-a.com", "shop-b.net"}) {
		t.Errorf("members %v, want shop-a.com, shop-b.net", c.Members)
	}
	var fav string
	for _, sh := range c.Shared {
		if strings.HasPrefix(sh, "favicon:") {
			fav = sh
		}
		if !strings.HasPrefix(sh, "analytics:") && !strings.HasPrefix(sh, "favicon:") {
			t.Errorf("they share %q: the world gives them nothing else in common", sh)
		}
	}
	if !slices.Contains(c.Shared, "analytics:G-SHOP424242") || fav == "" {
		t.Errorf("shared %v, want analytics:G-SHOP424242 and a favicon", c.Shared)
	}
	// The headers module found the same icon under <link rel=icon> on one
	// site and at /favicon.ico on the other.
	for _, e := range c.Evidence {
		if e.Why == "" {
			t.Errorf("evidence without why: %+v", e)
		}
	}
}

func TestPassiveStrictSaysWhatNeedsThePage(t *testing.T) {
	stdout, _, _ := cli(t, "scan", "--world", fingerprintWorld, "--passive-strict", "--no-color", "shop-a.com")
	for _, want := range []string{"analytics IDs", "favicon hash"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("passive-strict output does not say %q is not read:\n%s", want, stdout)
		}
	}
}
