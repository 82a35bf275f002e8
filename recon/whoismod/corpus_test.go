package whoismod

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon/recontest"
)

type manifestEntry struct {
	File              string   `json:"file"`
	Kind              string   `json:"kind"`
	Domain            *string  `json:"domain"`
	Registrar         *string  `json:"registrar"`
	Created           *string  `json:"created"`
	Expires           *string  `json:"expires"`
	NameServers       []string `json:"name_servers"`
	CreatedNormalized *string  `json:"created_normalized"`
	ExpiresNormalized *string  `json:"expires_normalized"`
}

var ianaIDInName = regexp.MustCompile(`\s*\(IANA ID (\d+)\)\s*$`)

func normRegistrar(s string) string {
	return strings.ToLower(strings.TrimSpace(ianaIDInName.ReplaceAllString(s, "")))
}

// manifestDate reads a manifest date: the normalised value when given, else
// the first date of the raw value ("A (registry) / B (registrar)").
func manifestDate(t *testing.T, norm, raw *string) (time.Time, time.Duration, bool) {
	t.Helper()
	if norm != nil {
		v, err := time.Parse(time.RFC3339, *norm)
		if err != nil {
			t.Fatalf("manifest date %q: %v", *norm, err)
		}
		return v, 0, true
	}
	if raw == nil {
		return time.Time{}, 0, false
	}
	first, _, _ := strings.Cut(*raw, " (")
	v, ok := ParseDate(first)
	if !ok {
		t.Fatalf("manifest raw date %q is not readable by ParseDate", *raw)
	}
	// Registry and registrar stamps of one event differ by up to a second.
	return v, time.Second, true
}

func TestCorpusWhois(t *testing.T) {
	dir := recontest.Corpus(t, "whois")
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files []manifestEntry `json:"files"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range m.Files {
		listed[e.File] = true
	}
	raws, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, p := range raws {
		if !listed[filepath.Base(p)] {
			t.Errorf("%s is not in MANIFEST.json: the table does not cover it", filepath.Base(p))
		}
	}

	found, yield := 0, 0
	for _, e := range m.Files {
		t.Run(e.File, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(dir, e.File))
			if err != nil {
				t.Fatal(err)
			}
			f, kind, detail := ParseWhois(string(text))
			switch e.Kind {
			case "found":
				found++
				if kind != AnswerFound || !f.Registered {
					t.Fatalf("kind = %v, registered = %v; want a record", kind, f.Registered)
				}
				if f.Registrar != "" && f.Created != nil {
					yield++
				}
				if e.Registrar != nil {
					if got, want := normRegistrar(f.Registrar), normRegistrar(*e.Registrar); got != want {
						t.Errorf("registrar = %q, want %q", f.Registrar, *e.Registrar)
					}
					if mm := ianaIDInName.FindStringSubmatch(*e.Registrar); mm != nil && f.RegistrarIANAID != mm[1] {
						t.Errorf("IANA id = %q, want %q", f.RegistrarIANAID, mm[1])
					}
				}
				if want, tol, ok := manifestDate(t, e.CreatedNormalized, e.Created); ok {
					if f.Created == nil {
						t.Errorf("created not extracted, want %s", want)
					} else if d := f.Created.Sub(want); d > tol || d < -tol {
						t.Errorf("created = %s, want %s", f.Created, want)
					}
				}
				if want, tol, ok := manifestDate(t, e.ExpiresNormalized, e.Expires); ok {
					if f.Expires == nil {
						t.Errorf("expires not extracted, want %s", want)
					} else if d := f.Expires.Sub(want); d > tol || d < -tol {
						t.Errorf("expires = %s, want %s", f.Expires, want)
					}
				}
				if e.NameServers != nil {
					if want := normNS(e.NameServers); !reflect.DeepEqual(f.NameServers, want) {
						t.Errorf("name servers = %v, want %v", f.NameServers, want)
					}
				}
			case "not_found":
				if kind != AnswerNotFound || f.Registered {
					t.Errorf("kind = %v, registered = %v; want not found", kind, f.Registered)
				}
			case "rate_limited":
				if kind != AnswerRateLimited {
					t.Errorf("kind = %v; want rate limited (a throttled answer must never read as free)", kind)
				}
				if detail == "" {
					t.Error("no rate-limit detail")
				}
			default:
				t.Fatalf("unknown manifest kind %q", e.Kind)
			}
		})
	}
	t.Logf("corpus WHOIS yield: %d of %d found samples give both registrar and creation date (%d samples in all)", yield, found, len(m.Files))
	if found == 0 {
		t.Fatal("no found samples in the manifest")
	}
}

// TestCorpusChainPrefersRegistrar checks the merge on the one three-server
// transcript: registrar values win, the registry fills gaps, IANA's TLD
// record contributes nothing.
func TestCorpusChainPrefersRegistrar(t *testing.T) {
	p := recontest.Corpus(t, "whois", "iana_refer_chain_iceagesaga.com.txt")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	secs := SplitRaw(string(b))
	if len(secs) != 3 || secs[1].Server != "whois.verisign-grs.com" || secs[2].Server != "whois.diymysite.com" {
		t.Fatalf("sections = %d %+v", len(secs), secs)
	}
	if a := ParseAnswer(secs[0].Text, true); a.Kind != AnswerReferral || a.Refer != "whois.verisign-grs.com:43" {
		t.Errorf("IANA answer: %+v", a)
	}
	if a := ParseAnswer(secs[1].Text, false); a.Kind != AnswerFound || a.Refer != "whois.diymysite.com:43" {
		t.Errorf("registry answer: kind %v refer %q", a.Kind, a.Refer)
	}
	f, _, _ := ParseWhois(string(b))
	if got := f.Created.Format(time.RFC3339Nano); got != "2021-04-15T18:21:57Z" {
		t.Errorf("created = %s, want the registrar's 2021-04-15T18:21:57Z", got)
	}
	if !f.Privacy || !strings.Contains(f.PrivacyEvidence, "REDACTED FOR PRIVACY") {
		t.Errorf("privacy = %v %q", f.Privacy, f.PrivacyEvidence)
	}
	if f.RegistrantCountry != "CN" || f.RegistrantOrg != "" {
		t.Errorf("registrant = %q/%q; want country CN and no redacted org", f.RegistrantOrg, f.RegistrantCountry)
	}
	if f.RegistrarURL == "" || f.RegistrarIANAID != "3824" {
		t.Errorf("registrar url/id = %q %q", f.RegistrarURL, f.RegistrarIANAID)
	}
}

func TestCorpusRDAP(t *testing.T) {
	dir := recontest.Corpus(t, "rdap")
	tests := []struct {
		file      string
		registrar string
		ianaID    string
		created   string
		expires   string
		ns        int
		related   bool
	}{
		{"domain_google.com_verisign.json", "MarkMonitor Inc.", "292", "1997-09-15T04:00:00Z", "2028-09-14T04:00:00Z", 4, true},
		{"domain_norway.no_norid.json", "Domeneshop AS", "", "2017-01-24T12:09:23Z", "", 4, false},
		{"domain_example.cz_nic.cz.json", "REG-INTERNET-CZ", "", "2004-08-30T22:55:00Z", "2019-08-30T12:00:00Z", 3, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			f, related, err := ParseRDAP(b)
			if err != nil {
				t.Fatal(err)
			}
			if f.Registrar != tc.registrar || f.RegistrarIANAID != tc.ianaID {
				t.Errorf("registrar = %q (%q), want %q (%q)", f.Registrar, f.RegistrarIANAID, tc.registrar, tc.ianaID)
			}
			if f.Created == nil || f.Created.Format(time.RFC3339) != tc.created {
				t.Errorf("created = %v, want %s", f.Created, tc.created)
			}
			if tc.expires != "" && (f.Expires == nil || f.Expires.Format(time.RFC3339) != tc.expires) {
				t.Errorf("expires = %v, want %s", f.Expires, tc.expires)
			}
			if len(f.NameServers) != tc.ns {
				t.Errorf("name servers = %v, want %d", f.NameServers, tc.ns)
			}
			for _, n := range f.NameServers {
				if n != strings.ToLower(n) || strings.HasSuffix(n, ".") {
					t.Errorf("name server %q not normalised", n)
				}
			}
			if (related != "") != tc.related {
				t.Errorf("related = %q", related)
			}
		})
	}
	// Non-domain objects are refused, not misread.
	for _, file := range []string{"ip_1.1.1.0_apnic.json", "ip_NET-13-64-0-0-1_arin.json", "autnum_AS13335_arin.json"} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ParseRDAP(b); err == nil {
			t.Errorf("%s: parsed as a domain", file)
		}
	}
}

func TestCorpusBootstrap(t *testing.T) {
	p := recontest.Corpus(t, "rdap", "bootstrap_dns.json")
	body, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBootstrap(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ domain, want string }{
		{"example.com", "https://rdap.verisign.com/com/v1/"},
		{"EXAMPLE.COM.", "https://rdap.verisign.com/com/v1/"},
		{"a.b.example.net", "https://rdap.verisign.com/net/v1/"},
		{"example.invalid-tld-zz", ""},
	} {
		if got := b.Base(tc.domain); got != tc.want {
			t.Errorf("Base(%q) = %q, want %q", tc.domain, got, tc.want)
		}
	}
}
