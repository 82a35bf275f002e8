package threat

import (
	"encoding/json"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func TestDecodeCodes(t *testing.T) {
	tests := []struct {
		zone, code string
		listing    bool
		policy     bool
		refusal    string // substring
		meaning    string // substring
	}{
		{zone: "zen.spamhaus.org", code: "127.0.0.2", listing: true, meaning: "SBL"},
		{zone: "zen.spamhaus.org.", code: "127.0.0.3", listing: true, meaning: "CSS"},
		{zone: "zen.spamhaus.org", code: "127.0.0.4", listing: true, meaning: "XBL"},
		{zone: "zen.spamhaus.org", code: "127.0.0.7", listing: true, meaning: "XBL"},
		{zone: "zen.spamhaus.org", code: "127.0.0.9", listing: true, meaning: "DROP"},
		{zone: "zen.spamhaus.org", code: "127.0.0.10", listing: true, policy: true, meaning: "PBL"},
		{zone: "zen.spamhaus.org", code: "127.0.0.11", listing: true, policy: true, meaning: "PBL"},
		{zone: "KEY.zen.dq.spamhaus.net", code: "127.0.0.2", listing: true, meaning: "SBL"},
		{zone: "zen.spamhaus.org", code: "127.0.0.99", listing: true, meaning: "not in our table"},
		{zone: "zen.spamhaus.org", code: "127.0.0.1", refusal: "query refused"},
		{zone: "zen.spamhaus.org", code: "127.255.255.254", refusal: "public/open resolver"},
		{zone: "zen.spamhaus.org", code: "127.255.255.252", refusal: "typing error"},
		{zone: "zen.spamhaus.org", code: "127.255.255.255", refusal: "excessive"},
		{zone: "zen.spamhaus.org", code: "127.255.255.1", refusal: "error code"},
		{zone: "zen.spamhaus.org", code: "198.51.100.9", meaning: "outside 127.0.0.0/8"},
		{zone: "zen.spamhaus.org", code: "::1", meaning: "outside 127.0.0.0/8"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.2", listing: true, meaning: "spam"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.4", listing: true, meaning: "phishing"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.5", listing: true, meaning: "malware"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.6", listing: true, meaning: "C&C"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.104", listing: true, meaning: "abused domain used in phishing"},
		{zone: "dbl.spamhaus.org", code: "127.0.1.255", refusal: "IP queries not allowed"},
		{zone: "zrd.spamhaus.org", code: "127.0.2.2", listing: true, meaning: "between 0 and 2 hours"},
		{zone: "zrd.spamhaus.org", code: "127.0.2.24", listing: true, meaning: "between 23 and 24 hours"},
		{zone: "multi.surbl.org", code: "127.0.0.80", listing: true, meaning: "MW: malware, SURBL ABUSE"},
		{zone: "multi.surbl.org", code: "127.0.0.8", listing: true, meaning: "PH"},
		{zone: "bl.example.net", code: "127.0.0.2", listing: true, meaning: "127.0.0.2"},
	}
	for _, tt := range tests {
		c := Decode(tt.zone, netip.MustParseAddr(tt.code))
		if c.Listing != tt.listing || c.Policy != tt.policy || !strings.Contains(c.Refusal, tt.refusal) ||
			(tt.refusal == "" && c.Refusal != "") || !strings.Contains(c.Meaning, tt.meaning) {
			t.Errorf("Decode(%s, %s) = %+v", tt.zone, tt.code, c)
		}
	}
}

// TestDecodeAgreesWithCorpus checks our table against every code of
// dnsbl/return_codes.json: what the documentation marks as not a listing
// must never decode as one, and every listing code must decode as one.
func TestDecodeAgreesWithCorpus(t *testing.T) {
	b, err := os.ReadFile(recontest.Corpus(t, "dnsbl", "return_codes.json"))
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Code      string `json:"code"`
		Meaning   string `json:"meaning"`
		IsListing bool   `json:"is_listing"`
	}
	var doc struct {
		Spamhaus map[string]json.RawMessage `json:"spamhaus"`
		SURBL    struct {
			Zone string `json:"zone"`
			Bits []struct {
				Code string `json:"code_if_alone"`
				List string `json:"list"`
			} `json:"bits"`
		} `json:"surbl"`
		URIBL struct {
			Zone    string `json:"zone"`
			Refused entry  `json:"refused"`
		} `json:"uribl_bonus"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for zone, raw := range doc.Spamhaus {
		var es []entry
		if json.Unmarshal(raw, &es) != nil {
			continue // not a list of codes (sources, notes)
		}
		z := zone
		if zone == "errors_any_zone" {
			z = "zen.spamhaus.org"
		}
		for _, e := range es {
			n++
			c := Decode(z, netip.MustParseAddr(e.Code))
			if c.Listing != e.IsListing || (c.Refusal != "") == e.IsListing {
				t.Errorf("%s %s (%s): decoded %+v, corpus is_listing=%v", zone, e.Code, e.Meaning, c, e.IsListing)
			}
		}
	}
	for _, bit := range doc.SURBL.Bits {
		n++
		c := Decode(doc.SURBL.Zone, netip.MustParseAddr(bit.Code))
		if !c.Listing || !strings.Contains(c.Meaning, bit.List) {
			t.Errorf("SURBL %s: %+v", bit.Code, c)
		}
	}
	if c := Decode(doc.URIBL.Zone, netip.MustParseAddr(doc.URIBL.Refused.Code)); c.Listing || c.Refusal == "" {
		t.Errorf("URIBL refused code decoded as %+v", c)
	}
	if n < 27 {
		t.Errorf("only %d codes checked; has the corpus layout changed?", n)
	}
}

func TestQueries(t *testing.T) {
	if got := IPQuery(netip.MustParseAddr("185.220.101.47"), "zen.spamhaus.org."); got != "47.101.220.185.zen.spamhaus.org" {
		t.Errorf("IPv4: %s", got)
	}
	want := "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"
	if got := IPQuery(netip.MustParseAddr("2001:db8::1"), "zen.spamhaus.org"); got != want {
		t.Errorf("IPv6: %s", got)
	}
	if got := DomainQuery("nova-parcels.com.", "dbl.spamhaus.org"); got != "nova-parcels.com.dbl.spamhaus.org" {
		t.Errorf("domain: %s", got)
	}
}
