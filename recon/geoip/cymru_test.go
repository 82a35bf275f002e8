package geoip

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func TestOriginName(t *testing.T) {
	tests := []struct {
		ip   string
		want string
	}{
		{"216.90.108.31", "31.108.90.216.origin.asn.cymru.com"},
		{"::ffff:216.90.108.31", "31.108.90.216.origin.asn.cymru.com"},
		{"2001:4860:b002::68", "8.6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.b.0.6.8.4.1.0.0.2.origin6.asn.cymru.com"},
		{"::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.origin6.asn.cymru.com"},
	}
	for _, tt := range tests {
		got := OriginName(netip.MustParseAddr(tt.ip), "origin.asn.cymru.com.", "origin6.asn.cymru.com")
		if got != tt.want {
			t.Errorf("OriginName(%s) = %s, want %s", tt.ip, got, tt.want)
		}
	}
}

func TestParseOrigin(t *testing.T) {
	tests := []struct {
		in      string
		asn     uint32
		asns    int
		prefix  string
		cc, reg string
		wantErr bool
	}{
		{in: "3561 | 216.88.0.0/14 | US | arin | 1998-09-25", asn: 3561, asns: 1, prefix: "216.88.0.0/14", cc: "US", reg: "arin"},
		{in: `"15169 | 2001:4860::/32 | US | arin | 2005-03-14"`, asn: 15169, asns: 1, prefix: "2001:4860::/32", cc: "US", reg: "arin"},
		{in: "13335 209242 | 104.16.0.0/13 | US | arin | 2014-03-28", asn: 13335, asns: 2, prefix: "104.16.0.0/13", cc: "US", reg: "arin"},
		{in: "205100 | 185.220.101.0/24 | DE | ripencc |", asn: 205100, asns: 1, prefix: "185.220.101.0/24", cc: "DE", reg: "ripencc"},
		{in: "AS64500|192.0.2.0/24|ZZ|arin|2000-01-01", asn: 64500, asns: 1, prefix: "192.0.2.0/24", cc: "ZZ", reg: "arin"},
		{in: "", wantErr: true},
		{in: "hello", wantErr: true},
		{in: " | 1.2.3.0/24 | US | arin | 2000-01-01", wantErr: true},
		{in: "99999999999 | 1.2.3.0/24 | US", wantErr: true},
		{in: "x1 | 1.2.3.0/24 | US", wantErr: true},
		{in: "1 | not-a-prefix | US", wantErr: true},
	}
	for _, tt := range tests {
		o, err := ParseOrigin(tt.in)
		if tt.wantErr {
			if err == nil || !errors.Is(err, ErrBadCymru) {
				t.Errorf("ParseOrigin(%q) = %+v, %v; want ErrBadCymru", tt.in, o, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseOrigin(%q): %v", tt.in, err)
			continue
		}
		if o.ASN != tt.asn || len(o.ASNs) != tt.asns || o.Prefix != tt.prefix || o.CC != tt.cc || o.Registry != tt.reg {
			t.Errorf("ParseOrigin(%q) = %+v", tt.in, o)
		}
	}
}

func TestParseASName(t *testing.T) {
	info, err := ParseASName("205100 | DE | ripencc | 2019-01-01 | F3NETZE, DE")
	if err != nil || info.ASN != 205100 || info.Name != "F3NETZE, DE" || info.Registry != "ripencc" {
		t.Fatalf("ParseASName = %+v, %v", info, err)
	}
	for _, bad := range []string{"", "15169 | US | arin", "x | US | arin | 2000 | NAME"} {
		if _, err := ParseASName(bad); err == nil {
			t.Errorf("ParseASName(%q) succeeded", bad)
		}
	}
}

// corpusAnswers is the shape of cymru/dns_txt_answers.json.
type corpusAnswers struct {
	Answers []struct {
		Zone   string  `json:"zone"`
		Query  string  `json:"query"`
		IP     *string `json:"ip"`
		Answer string  `json:"answer"`
	} `json:"answers"`
	WhoisSingleLine struct {
		Line string `json:"line"`
	} `json:"whois_single_line"`
}

// TestCorpusDNSAnswers parses the verbatim TXT strings of the corpus and
// checks that the question we build for each address is the one asked there.
func TestCorpusDNSAnswers(t *testing.T) {
	b, err := os.ReadFile(recontest.Corpus(t, "cymru", "dns_txt_answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c corpusAnswers
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Answers) == 0 {
		t.Fatal("no answers in the corpus file")
	}
	for _, a := range c.Answers {
		qname := strings.TrimSuffix(strings.TrimSuffix(a.Query, " TXT"), ".")
		switch a.Zone {
		case "origin.asn.cymru.com", "origin6.asn.cymru.com":
			o, err := ParseOrigin(a.Answer)
			if err != nil {
				t.Errorf("%s: %v", a.Query, err)
				continue
			}
			ip := netip.MustParseAddr(*a.IP)
			if !netip.MustParsePrefix(o.Prefix).Contains(ip) {
				t.Errorf("%s: prefix %s does not contain %s", a.Query, o.Prefix, ip)
			}
			if o.ASN == 0 || o.CC != "US" || o.Registry != "arin" || len(o.Allocated) != 10 {
				t.Errorf("%s: parsed %+v", a.Query, o)
			}
			if got := OriginName(ip, "origin.asn.cymru.com", "origin6.asn.cymru.com"); got != qname {
				t.Errorf("OriginName(%s) = %s, corpus asked %s", ip, got, qname)
			}
		case "asn.cymru.com":
			info, err := ParseASName(a.Answer)
			if err != nil {
				t.Errorf("%s: %v", a.Query, err)
				continue
			}
			if info.ASN != 15169 || info.Name != "GOOGLE - Google Inc., US" || info.Allocated != "2007-03-13" {
				t.Errorf("%s: parsed %+v", a.Query, info)
			}
		default:
			t.Errorf("unexpected zone %q in corpus", a.Zone)
		}
	}
	// The whois single line has another layout (ASN | IP | prefix | ...):
	// the DNS parser must refuse it rather than mistake the IP for a prefix.
	if o, err := ParseOrigin(c.WhoisSingleLine.Line); err == nil {
		t.Errorf("ParseOrigin accepted the whois line: %+v", o)
	}
}
