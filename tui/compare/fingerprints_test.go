package compare

import (
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestFingerprintColumns(t *testing.T) {
	kit := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	nginx := "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
	ps := []Profile{
		{Domain: "a", Analytics: []string{"G-SHOP424242", "fb:123"}, Favicon: "2125655795", PageHash: kit, PageSize: 900,
			Verify: []string{"google:tok"}, VerifyScope: map[string]string{"google:tok": recon.ScopeDomain}},
		{Domain: "b", Analytics: []string{"G-SHOP424242"}, Favicon: "2125655795", PageHash: kit, PageSize: 900,
			Verify: []string{"google:tok", "adobe:org"}, VerifyScope: map[string]string{"google:tok": recon.ScopeDomain, "adobe:org": recon.ScopeAccount}},
		{Domain: "c", Favicon: "-297069493", FaviconDefault: "Apache Tomcat", PageHash: nginx, PageSize: 500, PageDefault: "nginx welcome page",
			Verify: []string{"adobe:org"}, VerifyScope: map[string]string{"adobe:org": recon.ScopeAccount}},
		{Domain: "d", Favicon: "-297069493", PageHash: nginx, PageSize: 500, PageDefault: "nginx welcome page"},
	}
	tb := Build(ps, 0)
	tests := []struct {
		col  Column
		want string
	}{
		// The shared ID gets a letter; the pixel of one row does not.
		{ColAnalytics, "a=A  b=A c= d="},
		// A custom icon shared links (A); Tomcat's stock icon says nothing (~).
		{ColFavicon, "a=A b=A c=~ d=~"},
		// The same kit page (A); the stock nginx page says nothing (~).
		{ColPage, "a=A b=A c=~ d=~"},
		// A per-domain token copied says nothing; a per-account one is a letter.
		{ColVerify, "a=~ b=~A c=A d="},
	}
	for _, tt := range tests {
		if got := glyphs(tb, tt.col); got != tt.want {
			t.Errorf("%s: got %q, want %q", Titles[tt.col], got, tt.want)
		}
	}
}
