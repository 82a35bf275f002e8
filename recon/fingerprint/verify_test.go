package fingerprint

import (
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestParseVerification(t *testing.T) {
	tests := []struct {
		txt                  string
		ok                   bool
		service, token, scop string
	}{
		{"google-site-verification=wD8N7i1JTNTkezJ49swvWW48f8_9xveREV4oB-0Hf5o", true, "google", "wD8N7i1JTNTkezJ49swvWW48f8_9xveREV4oB-0Hf5o", recon.ScopeDomain},
		{"facebook-domain-verification=22rm551cu4k0ab0bxsw536tlds4h95", true, "facebook", "22rm551cu4k0ab0bxsw536tlds4h95", recon.ScopeDomain},
		{"MS=ms31258684", true, "microsoft", "ms31258684", recon.ScopeDomain},
		{"atlassian-domain-verification=5YjTmWmjI92ewqkx", true, "atlassian", "5YjTmWmjI92ewqkx", recon.ScopeUnknown},
		{"docusign=05958488-4752-4ef2-95eb-aa7ba8a3bd0e", true, "docusign", "05958488-4752-4ef2-95eb-aa7ba8a3bd0e", recon.ScopeUnknown},
		{"apple-domain-verification=30afIBcvSuDV2PLX", true, "apple", "30afIBcvSuDV2PLX", recon.ScopeUnknown},
		{"adobe-idp-site-verification=8e5e7a1c2b", true, "adobe", "8e5e7a1c2b", recon.ScopeAccount},
		{"v=spf1 include:_spf.google.com ~all", false, "", "", ""},
		{"google-site-verification=", false, "", "", ""},
		{"google-site-verification=two words", false, "", "", ""},
	}
	for _, tc := range tests {
		v, ok := ParseVerification(tc.txt)
		if ok != tc.ok || v.Service != tc.service || v.Token != tc.token || v.Scope != tc.scop {
			t.Errorf("ParseVerification(%q) = %+v %v", tc.txt, v, ok)
		}
		if ok && v.Source != "dns" {
			t.Errorf("source %q", v.Source)
		}
	}
	if got := Verifications([]string{"MS=ms1", "ms=MS1", "x"}); len(got) != 1 {
		t.Errorf("Verifications deduplicates: %+v", got)
	}
	for _, v := range VerifyServices {
		if v.why == "" || (v.scope != recon.ScopeAccount && v.scope != recon.ScopeDomain && v.scope != recon.ScopeUnknown) {
			t.Errorf("%s: scope %q without a source", v.service, v.scope)
		}
	}
}

func TestMetaVerifications(t *testing.T) {
	body := `<head><meta name="google-site-verification" content="abcDEF123_-x" />
<meta content='fbcode123' name='facebook-domain-verification'>
<meta name="description" content="not a token">
<meta name="msvalidate.01" content="ABCDEF0123">`
	got := MetaVerifications([]byte(body))
	want := []recon.VerifyToken{
		{Service: "google", Token: "abcDEF123_-x", Scope: recon.ScopeDomain, Source: "html"},
		{Service: "facebook", Token: "fbcode123", Scope: recon.ScopeDomain, Source: "html"},
		{Service: "bing", Token: "ABCDEF0123", Scope: recon.ScopeUnknown, Source: "html"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v want %+v", i, got[i], want[i])
		}
	}
}
