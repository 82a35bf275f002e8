package whoismod

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// likexianExpected is the part of whois-parser's expected JSON we compare.
type likexianExpected struct {
	Domain struct {
		Domain  string     `json:"domain"`
		Created *time.Time `json:"created_date_in_time"`
		Expires *time.Time `json:"expiration_date_in_time"`
	} `json:"domain"`
	Registrar *struct {
		Name         string `json:"name"`
		Organization string `json:"organization"`
	} `json:"registrar"`
}

var handleRe = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._]*(-[A-Z0-9._]+)+$`)

// expectedRegistrar is the registrar's name: whois-parser reports a
// registrar handle (MARKMONITOR-REG) as the name where the registry gives
// both; the organisation is then the name.
func (e likexianExpected) expectedRegistrar() string {
	if e.Registrar == nil {
		return ""
	}
	n, o := strings.TrimSpace(e.Registrar.Name), strings.TrimSpace(e.Registrar.Organization)
	if o != "" && (n == "" || handleRe.MatchString(n)) {
		return o
	}
	return n
}

// registrarTruth corrects whois-parser's expected JSON where it keeps a
// registrar handle as the name (.ua), or reads no registrar at all (.at):
// the values are the registrar names in the answers themselves.
var registrarTruth = map[string]string{
	"ua_google.ua":         "MarkMonitor Inc.",
	"ua_nic.ua":            "NIC.UA LLC",
	"at_0wnz.at":           "NETPLANET GmbH",
	"at_elektro-rauter.at": "ANEXIA Internetdienstleistungs GmbH",
	"at_rerail.at":         "IONOS SE",
}

func sameName(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.Fields(strings.ToLower(strings.Trim(s, " .,"))), " ")
	}
	return norm(a) == norm(b)
}

func sameDay(a *time.Time, b *time.Time) bool {
	return a != nil && b != nil && a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// TestLikexianCorpusFigures measures the parser on whois-parser's own test
// answers (Apache-2.0; in the module cache after go mod download): how many
// give the registrar, creation and expiry dates that whois-parser's
// expected JSON holds. A measurement, not a gate: it runs when
// NETSPECTER_LIKEXIAN_DIR names .../whois-parser@v1.24.21/testdata/noterror.
func TestLikexianCorpusFigures(t *testing.T) {
	dir := os.Getenv("NETSPECTER_LIKEXIAN_DIR")
	if dir == "" {
		t.Skip("set NETSPECTER_LIKEXIAN_DIR to whois-parser's testdata/noterror to measure")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var n, regWant, regOK, crWant, crOK, exWant, exOK int
	for _, jf := range files {
		raw, err := os.ReadFile(strings.TrimSuffix(jf, ".json"))
		if err != nil {
			continue
		}
		b, _ := os.ReadFile(jf)
		var e likexianExpected
		if json.Unmarshal(b, &e) != nil {
			continue
		}
		n++
		a := ParseAnswerFor(string(raw), false, e.Domain.Domain)
		name := filepath.Base(strings.TrimSuffix(jf, ".json"))
		want := e.expectedRegistrar()
		if t, ok := registrarTruth[name]; ok {
			want = t
		}
		if want != "" {
			regWant++
			if sameName(a.Facts.Registrar, want) {
				regOK++
			} else if testing.Verbose() {
				t.Logf("registrar %s: got %q want %q", name, a.Facts.Registrar, want)
			}
		}
		if e.Domain.Created != nil {
			crWant++
			if sameDay(a.Facts.Created, e.Domain.Created) {
				crOK++
			} else if testing.Verbose() {
				t.Logf("created %s: got %v want %v", name, a.Facts.Created, e.Domain.Created)
			}
		}
		if e.Domain.Expires != nil {
			exWant++
			if sameDay(a.Facts.Expires, e.Domain.Expires) {
				exOK++
			} else if testing.Verbose() {
				t.Logf("expires %s: got %v want %v", name, a.Facts.Expires, e.Domain.Expires)
			}
		}
	}
	t.Logf("%d answers: registrar %d/%d, created %d/%d, expires %d/%d", n, regOK, regWant, crOK, crWant, exOK, exWant)
}

// TestLikexianSamples: real answers of the classes that gave the wrong
// registrar (issue 15), and a thin answer with several matching records.
func TestLikexianSamples(t *testing.T) {
	for _, tt := range []struct {
		file, query, registrar, handle, created, expires string
	}{
		{"likexian/it_google.it.txt", "google.it", "MarkMonitor International Limited", "MARKMONITOR-REG", "1999-12-10", "2020-04-21"},
		{"likexian/it_git.it.txt", "git.it", "Algorithmedia S.r.l.", "AM-REG", "", ""},
		{"likexian/sk_google.sk.txt", "google.sk", "MarkMonitor International Limited", "", "2003-07-24", "2025-07-24"},
		{"likexian/ua_google.ua.txt", "google.ua", "MarkMonitor Inc.", "ua.markmonitor", "2011-07-21", "2023-07-21"},
		{"likexian/ua_nic.ua.txt", "nic.ua", "NIC.UA LLC", "ua.nic", "2007-10-04", ""},
		{"likexian/at_0wnz.at.txt", "0wnz.at", "NETPLANET GmbH", "", "", ""},
		{"likexian/at_rerail.at.txt", "rerail.at", "IONOS SE", "", "", ""},
		{"thin-multi_google.com.txt", "google.com", "MARKMONITOR INC.", "", "1997-09-15", "2011-09-14"},
		{"thin-multi_google.com.txt", "", "MARKMONITOR INC.", "", "1997-09-15", "2011-09-14"},
	} {
		t.Run(tt.file+" "+tt.query, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			a := ParseAnswerFor(string(b), false, tt.query)
			f := a.Facts
			if a.Kind != AnswerFound || f.Registrar != tt.registrar || f.RegistrarHandle != tt.handle {
				t.Errorf("kind %v, registrar %q handle %q; want %q, %q", a.Kind, f.Registrar, f.RegistrarHandle, tt.registrar, tt.handle)
			}
			day := func(p *time.Time) string {
				if p == nil {
					return ""
				}
				return p.Format(time.DateOnly)
			}
			if tt.created != "" && day(f.Created) != tt.created {
				t.Errorf("created %s, want %s", day(f.Created), tt.created)
			}
			if tt.expires != "" && day(f.Expires) != tt.expires {
				t.Errorf("expires %s, want %s", day(f.Expires), tt.expires)
			}
		})
	}
}
