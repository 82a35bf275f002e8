package pivot

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

// fp is the page and zone fingerprints added to a hand-built domain.
type fp struct {
	analytics []string // AnalyticsID keys
	favicon   int32    // 0: none
	page      string   // normalised hash
	pageSize  int
	pageDef   string
	verify    []recon.VerifyToken
}

// withFP scans d with fingerprints f added to its report.
func withFP(s *Session, d dom, f fp) {
	r := d.report()
	h := &recon.HeadersFacts{URL: "https://" + d.name + "/", StatusCode: 200, PageHash: f.page, PageSize: f.pageSize, PageDefault: f.pageDef}
	for _, k := range f.analytics {
		h.Analytics = append(h.Analytics, recon.AnalyticsID{Service: "google-analytics", ID: k, Key: k})
	}
	if f.favicon != 0 {
		h.Favicon = &recon.FaviconFacts{URL: "https://" + d.name + "/favicon.ico", ShodanHash: f.favicon, SHA256: "ab", Size: 10}
	}
	var ps []recon.Pivot // as headers.Pivots gives them
	for _, k := range f.analytics {
		ps = append(ps, recon.Pivot{Kind: recon.PivotAnalytics, Value: k, Relation: recon.RelAnalytics})
	}
	r.Modules["headers"] = &recon.ModuleResult{Module: "headers", Status: recon.StatusOK, Facts: h, Pivots: ps}
	dns := recon.FactsOf[recon.DNSFacts](r, "dns")
	dns.Verifications = f.verify
	n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.name})
	s.Attach(n.ID, r, t0)
}

func TestFingerprintWeights(t *testing.T) {
	ctx := &WeightContext{PageDefault: map[string]string{"def": "nginx welcome page"}, PageSize: map[string]int{"tiny": 20, "kit": 900, "def": 500}}
	tests := []struct {
		kind, value string
		min, max    float64
		why         string
	}{
		{"analytics", "UA-4242424", 3, 3, "UA-4242424"},
		{"analytics", "fb:1234567890123", 3, 3, "account"},
		{"verify", "adobe:tok123", 3, 3, "per account"},
		{"verify", "google:tok123", 0, 0, "a copy, not a common owner"},
		{"verify", "facebook:tok123", 0, 0, "per domain"},
		{"verify", "atlassian:tok123", 0, 0, "not established"},
		{"verify", "nosuchservice:x", 0, 0, "not established"},
		{"favicon", "-297069493", 0, 0, "stock icon of Apache Tomcat"},
		{"favicon", "1198047028", 0, 0, "WordPress"},
		{"favicon", "2125655795", 1.5, 1.5, "custom favicon"},
		{"favicon", "not-a-number", 0, 0, "not a favicon hash"},
		{"page", "def", 0, 0, "nginx welcome page"},
		{"page", "tiny", 0.05, 0.05, "near-empty"},
		{"page", "kit", 2, 2, "kit or template"},
	}
	for _, tc := range tests {
		w, why := Weigh(tc.kind, tc.value, ctx)
		if w < tc.min || w > tc.max || !strings.Contains(why, tc.why) {
			t.Errorf("Weigh(%s, %s) = %v %q, want %v..%v and %q", tc.kind, tc.value, w, why, tc.min, tc.max, tc.why)
		}
	}
}

// Domains that differ in every infrastructure value (address, ASN,
// registrar, name servers, dates, posture).
func spread(name string, i int) dom {
	n := strconv.Itoa(i)
	return dom{name: name, ips: []string{"45.83." + n + ".10"}, asn: uint32(64600 + i), ns: []string{"ns1." + name},
		registrar: "Registrar " + n, created: "202" + n + "-01-01", cert: strings.Repeat(n, 64), posture: "spf:" + n}
}

func TestFingerprintClusters(t *testing.T) {
	const icon = int32(2125655795)
	s := NewSession(t0)
	withFP(s, spread("shop-a.com", 1), fp{analytics: []string{"G-SHOP424242"}, favicon: icon, page: "pa", pageSize: 900})
	withFP(s, spread("shop-b.net", 2), fp{analytics: []string{"G-SHOP424242"}, favicon: icon, page: "pb", pageSize: 900})
	withFP(s, spread("shop-c.org", 3), fp{analytics: []string{"G-GAMMA99999"}, favicon: icon, page: "pc", pageSize: 900})
	withFP(s, spread("nginx-a.com", 4), fp{favicon: -297069493, page: "nginx", pageSize: 500, pageDef: "nginx welcome page"})
	withFP(s, spread("nginx-b.com", 5), fp{favicon: -297069493, page: "nginx", pageSize: 500, pageDef: "nginx welcome page"})
	// Per-domain tokens copied between two more sites link nothing; a per-account one does.
	google := recon.VerifyToken{Service: "google", Token: "copied", Scope: recon.ScopeDomain, Source: "dns"}
	adobe := recon.VerifyToken{Service: "adobe", Token: "org1", Scope: recon.ScopeAccount, Source: "dns"}
	withFP(s, spread("clone-a.com", 6), fp{verify: []recon.VerifyToken{google}})
	withFP(s, spread("clone-b.com", 7), fp{verify: []recon.VerifyToken{google}})
	withFP(s, spread("corp-a.com", 8), fp{verify: []recon.VerifyToken{adobe}})
	withFP(s, spread("corp-b.com", 9), fp{verify: []recon.VerifyToken{adobe}})

	cl := s.Clusters()
	var got [][]string
	for _, c := range cl {
		got = append(got, c.Members)
	}
	if len(cl) != 2 {
		t.Fatalf("clusters %v, want shop-a+shop-b and corp-a+corp-b", got)
	}
	byMembers := map[string]Cluster{}
	for _, c := range cl {
		byMembers[strings.Join(c.Members, ",")] = c
	}
	shop, ok := byMembers["shop-a.com,shop-b.net"]
	if !ok {
		t.Fatalf("no shop cluster: %v", got)
	}
	for _, want := range []string{"analytics:G-SHOP424242", "favicon:2125655795"} {
		if !slices.Contains(shop.Shared, want) {
			t.Errorf("shop cluster shares %v, lacks %s", shop.Shared, want)
		}
	}
	for _, e := range shop.Evidence {
		if e.Why == "" || (e.Key == "analytics:G-SHOP424242" && e.Weight != 3) || (e.Key == "favicon:2125655795" && e.Weight != 1.5) {
			t.Errorf("evidence %+v", e)
		}
	}
	corp, ok := byMembers["corp-a.com,corp-b.com"]
	if !ok || !slices.Contains(corp.Shared, "verify:adobe:org1") {
		t.Errorf("per-account token: %v", got)
	}
	for _, c := range cl {
		for _, m := range c.Members {
			if strings.HasPrefix(m, "nginx-") || strings.HasPrefix(m, "clone-") || m == "shop-c.org" {
				t.Errorf("%s is in cluster %v", m, c.Members)
			}
		}
	}
	// Enter on the shared analytics ID lists who shares it.
	sh := s.Sharing(recon.PivotAnalytics, "G-SHOP424242")
	if !slices.Contains(sh, KeyOf(recon.PivotDomain, "shop-a.com")) || !slices.Contains(sh, KeyOf(recon.PivotDomain, "shop-b.net")) ||
		slices.Contains(sh, KeyOf(recon.PivotDomain, "shop-c.org")) {
		t.Errorf("Sharing(analytics) = %v", sh)
	}
}
