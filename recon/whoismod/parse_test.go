package whoismod

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 UTC, "" for not a date
	}{
		{"2021-04-15T18:21:57.0Z", "2021-04-15T18:21:57Z"},
		{"1997-09-15T00:00:00-0700", "1997-09-15T07:00:00Z"},
		{"2004-08-30T22:55:00+00:00", "2004-08-30T22:55:00Z"},
		{"1995-04-11T04:00:00.00Z", "1995-04-11T04:00:00Z"},
		{"11-Jun-2014", "2014-06-11T00:00:00Z"},
		{"11-JUN-2014", "2014-06-11T00:00:00Z"},
		{"2001/03/22", "2001-03-22T00:00:00Z"},
		{"19990717 #175298", "1999-07-17T00:00:00Z"},
		{"2003-03-17 12:20:05", "2003-03-17T12:20:05Z"},
		{"1985-01-01", "1985-01-01T00:00:00Z"},
		{"2019.12.30", "2019-12-30T00:00:00Z"},
		{"30.12.2019", "2019-12-30T00:00:00Z"},
		{"2020-01-01 00:00:00 UTC", "2020-01-01T00:00:00Z"},
		{"before 2001", ""},
		{"", ""},
		{"0001-01-01", ""},
		{"not a date at all", ""},
		{strings.Repeat("9", 200), ""},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("ParseDate(%q) = %s, want no date", tc.in, got)
			}
			continue
		}
		if !ok || got.Format(time.RFC3339) != tc.want {
			t.Errorf("ParseDate(%q) = %s %v, want %s", tc.in, got, ok, tc.want)
		}
	}
}

func TestNormServer(t *testing.T) {
	tests := map[string]string{
		"whois.verisign-grs.com":          "whois.verisign-grs.com:43",
		"WHOIS.Example.COM.":              "whois.example.com:43",
		"whois://whois.example.com:4343/": "whois.example.com:4343",
		"https://whois.example.com/":      "whois.example.com:43",
		"porkbun.com/whois":               "porkbun.com:43",
		"127.0.0.1:1043":                  "127.0.0.1:1043",
		"":                                "",
		"localhost":                       "",
		"whois.example.com:99999":         "",
		"whois.example.com:abc":           "",
		"-bad-.example.com":               "",
		"whois.example.com extra words":   "whois.example.com:43",
	}
	for in, want := range tests {
		if got := normServer(in); got != want {
			t.Errorf("normServer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAnswerKinds(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		first bool
		kind  AnswerKind
		refer string
	}{
		{"iana refer", ianaCom, true, AnswerReferral, "whois.verisign-grs.com:43"},
		{"iana without refer uses whois:", strings.Replace(ianaCom, "refer:        whois.verisign-grs.com\n", "", 1), true, AnswerReferral, "whois.verisign-grs.com:43"},
		{"thin record names registrar", thinRecord, false, AnswerFound, "whois.namecheap.com:43"},
		{"no match", verisignNoMatch, false, AnswerNotFound, ""},
		{"afnic throttled then no entries", afnicThrottled, false, AnswerRateLimited, ""},
		{"denic throttled", "% Error: 55000000002 Connection refused; access control limit reached.\n", false, AnswerRateLimited, ""},
		{"empty", "", false, AnswerUnparsed, ""},
		{"garbage", "\x00\xff\xfe", true, AnswerUnparsed, ""},
		// A record whose terms of use mention query limits is still a record.
		{"record with limits in terms", thinRecord + "\nTERMS: exceeding query rate or volume limits; too many queries are refused.\n", false, AnswerFound, "whois.namecheap.com:43"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ParseAnswer(tc.text, tc.first)
			if a.Kind != tc.kind || a.Refer != tc.refer {
				t.Errorf("kind %v refer %q, want %v %q", a.Kind, a.Refer, tc.kind, tc.refer)
			}
		})
	}
}

func TestPrivacyOnlyInValues(t *testing.T) {
	text := "Domain Name: example.com\n% Privacy service notice: read our privacy service terms\n" +
		"If you use a privacy service, contact privacy.\nRegistrant Organization: Example Ltd\n"
	if ok, ev := privacyIn(text); ok {
		t.Errorf("privacy found in comments/prose: %q", ev)
	}
	if ok, ev := privacyIn("Registrant Organization: Domains By Proxy, LLC\n"); !ok || !strings.Contains(ev, "Domains By Proxy") {
		t.Errorf("Domains By Proxy not seen: %v %q", ok, ev)
	}
}

func TestSplitRaw(t *testing.T) {
	raw := "# whois.iana.org:43\nrefer: whois.x.com\n# whois.x.com:43\nDomain Name: A.COM\n# not a header line\n"
	secs := SplitRaw(raw)
	if len(secs) != 2 || secs[0].Server != "whois.iana.org:43" || secs[1].Server != "whois.x.com:43" ||
		!strings.Contains(secs[1].Text, "# not a header line") {
		t.Errorf("sections %+v", secs)
	}
}

func FuzzParseWhois(f *testing.F) {
	for _, s := range []string{ianaCom, thinRecord, thickRecord, verisignNoMatch, afnicThrottled, "", "# a.b\n# c.d:43\n", "Creation Date: 99999999999999\nName Server: .\n"} {
		f.Add(s)
	}
	// The corpus samples, when the corpus is present (a user's clone has none).
	for _, dir := range []string{"whois", "rdap"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", dir, "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 128<<10 {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		fa, kind, _ := ParseWhois(s)
		if kind == AnswerFound && !fa.Registered {
			t.Error("found but not registered")
		}
		for _, first := range []bool{true, false} {
			a := ParseAnswer(s, first)
			if a.Refer != "" && normServer(a.Refer) != a.Refer {
				t.Errorf("referral %q is not normalised", a.Refer)
			}
		}
		_, _ = ParseDate(s)
		_, _, _ = ParseRDAP([]byte(s))
		if b, err := ParseBootstrap([]byte(s)); err == nil {
			_ = b.Base(s)
		}
		_ = SplitRaw(s)
	})
}

// TestParseHostileContinuation: whois-parser joins colon-less lines after a
// "key:" line quadratically (1 MiB took over a minute before the guard).
func TestParseHostileContinuation(t *testing.T) {
	text := "Domain Name: a.com\nRegistrant Name:\n" + strings.Repeat("xxxx\n", 200000)
	start := time.Now()
	ParseWhois(text)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("parsing took %s", d)
	}
	if got := guardParserInput("k:\n" + strings.Repeat("x\n", 100)); strings.Count(got, "\n") != 1+maxColonless {
		t.Errorf("guard kept %d lines", strings.Count(got, "\n"))
	}
}

// A record says whether the registrant is private only when it holds
// registrant data: a thin registry record (the registrar's unread) or a
// registry RDAP object without a registrant entity leaves privacy unknown,
// never "no".
func TestRegistrantRead(t *testing.T) {
	registryRDAP := `{"objectClassName":"domain","ldhName":"NOVA-PARCELS.COM",
 "entities":[{"objectClassName":"entity","roles":["registrar"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","NameCheap, Inc."]]]}],
 "events":[{"eventAction":"registration","eventDate":"2024-11-10T00:00:00Z"}]}`
	withRegistrant := strings.Replace(registryRDAP, `"entities":[`,
		`"entities":[{"roles":["registrant"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text",""],["adr",{"cc":"DE"},"text",["","","","","","",""]]]]},`, 1)
	for _, tt := range []struct {
		name          string
		facts         func() recon.WhoisFacts
		read, private bool
	}{
		{"thin registry WHOIS", func() recon.WhoisFacts { return ParseAnswer(thinRecord, false).Facts }, false, false},
		{"registrar WHOIS behind a privacy service", func() recon.WhoisFacts { return ParseAnswer(thickRecord, false).Facts }, true, true},
		{"registrar WHOIS with a disclosed registrant", func() recon.WhoisFacts {
			return ParseAnswer("Domain Name: example.com\nRegistrar: X\nCreation Date: 2020-01-01T00:00:00Z\nRegistrant Organization: Example Ltd\nRegistrant Country: DE\n", false).Facts
		}, true, false},
		{"registry RDAP without a registrant", func() recon.WhoisFacts { f, _, _ := ParseRDAP([]byte(registryRDAP)); return f }, false, false},
		{"RDAP with a registrant", func() recon.WhoisFacts { f, _, _ := ParseRDAP([]byte(withRegistrant)); return f }, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.facts()
			if f.RegistrantRead != tt.read || f.Privacy != tt.private || f.PrivacyKnown() != tt.read {
				t.Errorf("registrant read %v, privacy %v, known %v; want read %v privacy %v", f.RegistrantRead, f.Privacy, f.PrivacyKnown(), tt.read, tt.private)
			}
		})
	}
}
