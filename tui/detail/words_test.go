package detail

import "testing"

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		n          int
		word, want string
	}{
		{1, "entity", "1 entity"}, {2, "entity", "2 entities"}, {0, "name", "0 names"}, {1, "name", "1 name"},
		{3, "day", "3 days"}, {1, "day", "1 day"}, {2, "address", "2 addresses"}, {1, "scan", "1 scan"}, {4078, "scan", "4078 scans"},
		{2, "key", "2 keys"}, {12, "month", "12 months"},
	} {
		if got := Count(tc.n, tc.word); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.word, got, tc.want)
		}
	}
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
