package detail

import "testing"

func TestArticle(t *testing.T) {
	for in, want := range map[string]string{
		"autonomous system": "an autonomous system", "IP address": "an IP address", "e-mail address": "an e-mail address",
		"registrar": "a registrar", "network block": "a network block", "name server": "a name server", "ASN": "an ASN",
		"mail exchanger": "a mail exchanger", "certificate (SHA-256)": "a certificate (SHA-256)",
	} {
		if got := Article(in); got != want {
			t.Errorf("Article(%q) = %q, want %q", in, got, want)
		}
	}
}
