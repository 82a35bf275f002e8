// record.go reads one registration record into recon.WhoisFacts: the
// record of the domain asked, the registrar (name, handle, URL), dates, name
// servers and privacy evidence.

package whoismod

import (
	"net"
	"regexp"
	"sort"
	"strings"
	"time"

	whoisparser "github.com/likexian/whois-parser"

	"github.com/netspecter/netspecter-tui/recon"
)

// factsFrom converts whois-parser's result into WhoisFacts.
func factsFrom(info whoisparser.WhoisInfo, text string) recon.WhoisFacts {
	var f recon.WhoisFacts
	d := info.Domain
	f.Domain = d.Domain
	if r := info.Registrar; r != nil {
		f.Registrar = strings.TrimSpace(r.Name)
		if f.Registrar == "" {
			f.Registrar = strings.TrimSpace(r.Organization)
		}
		if id := strings.TrimSpace(r.ID); isDigits(id) {
			f.RegistrarIANAID = id
		}
		f.RegistrarURL = strings.TrimSpace(r.ReferralURL)
	}
	if f.Registrar == "" {
		// .at and other RIPE-style registries: "registrar: NAME ( URL )",
		// which whois-parser leaves unread.
		f.Registrar, f.RegistrarURL = registrarLine(text, f.RegistrarURL)
	}
	if r := info.Registrar; r != nil && isHandle(f.Registrar) {
		// .it ("MARKMONITOR-REG"), .sk ("MARK-0292"), .ua ("ua.markmonitor")
		// give the registrar's handle beside its name: report the name,
		// keep the handle as its own fact.
		if org := strings.TrimSpace(r.Organization); org != "" && !isHandle(org) {
			f.RegistrarHandle, f.Registrar = f.Registrar, org
		}
	}
	f.Created = pickDate(d.CreatedDateInTime, d.CreatedDate)
	f.Updated = pickDate(d.UpdatedDateInTime, d.UpdatedDate)
	f.Expires = pickDate(d.ExpirationDateInTime, d.ExpirationDate)
	for _, s := range d.Status {
		if s = strings.TrimSpace(s); s != "" {
			f.Status = append(f.Status, s)
		}
	}
	f.NameServers = normNS(d.NameServers)
	if r := info.Registrant; r != nil {
		if org := strings.TrimSpace(r.Organization); org != "" && !isRedacted(org) {
			f.RegistrantOrg = org
		}
		if c := strings.TrimSpace(r.Country); c != "" && !isRedacted(c) {
			f.RegistrantCountry = c
		}
	}
	f.Privacy, f.PrivacyEvidence = privacyIn(text)
	f.RegistrantRead = f.Privacy || info.Registrant != nil || registrantIn(text)
	return f
}

// registrantIn reports whether a WHOIS answer has a registrant line
// ("Registrant Name: REDACTED", "Registrant:"): a thin registry answer
// has none, so it says nothing about the registrant or its privacy.
func registrantIn(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		k, _, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && strings.HasPrefix(strings.ToLower(k), "registrant") {
			return true
		}
	}
	return false
}

var (
	upperHandle = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._]*(-[A-Z0-9._]+)+$`) // MARKMONITOR-REG, MARK-0292, RUCENTER-REG-RIPN
	dotHandle   = regexp.MustCompile(`^[a-z0-9-]+\.[a-z0-9-]+$`)             // ua.markmonitor
)

// isHandle reports whether a registrar value is a registry handle, not a name.
func isHandle(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.ContainsAny(s, " ,") && (upperHandle.MatchString(s) || dotHandle.MatchString(s))
}

var registrarLineRe = regexp.MustCompile(`(?im)^registrar:[ \t]*([^\r\n(]*?)[ \t]*(?:\([ \t]*(\S+)[ \t]*\))?[ \t]*\r?$`)

// registrarLine reads "registrar: NAME ( URL )" (nic.at) and returns the
// name and, when given, the URL (else url unchanged).
func registrarLine(text, url string) (string, string) {
	m := registrarLineRe.FindStringSubmatch(text)
	if m == nil {
		return "", url
	}
	if m[2] != "" && url == "" {
		url = m[2]
	}
	return strings.TrimSpace(m[1]), url
}

// recordOf returns text with only domain's record when the answer holds
// several matching records: old thin registry answers listed every name
// that starts with the query ("Server Name: GOOGLE.COM.ZZZ…" spam entries,
// each with its own "Registrar:") before the real "Domain Name: GOOGLE.COM".
// Paragraphs that are no record (notices, terms) are kept. With domain ""
// the "Server Name" entries are dropped when a "Domain Name" record exists.
func recordOf(text, domain string) string {
	paras := strings.SplitAfter(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n")
	type rec struct {
		i    int
		name string
		kind string
	}
	var recs []rec
	for i, p := range paras {
		for _, line := range strings.Split(p, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok {
				continue
			}
			switch lk := strings.ToLower(strings.TrimSpace(k)); lk {
			case "domain name", "server name":
				recs = append(recs, rec{i, strings.ToLower(strings.TrimSuffix(strings.TrimSpace(v), ".")), lk})
			}
			break
		}
	}
	if len(recs) < 2 {
		return text
	}
	keep := -1
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	for _, r := range recs {
		if domain != "" && r.name == domain {
			keep = r.i
			break
		}
	}
	if keep < 0 {
		for _, r := range recs {
			if r.kind == "domain name" {
				keep = r.i
				break
			}
		}
	}
	if keep < 0 {
		return text
	}
	drop := map[int]bool{}
	for _, r := range recs {
		if r.i != keep {
			drop[r.i] = true
		}
	}
	var b strings.Builder
	for i, p := range paras {
		if !drop[i] {
			b.WriteString(p)
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pickDate prefers whois-parser's parsed time and falls back to ParseDate.
func pickDate(parsed *time.Time, raw string) *time.Time {
	if parsed != nil && !parsed.IsZero() && parsed.Year() >= 1980 {
		t := parsed.UTC()
		return &t
	}
	if t, ok := ParseDate(raw); ok {
		return &t
	}
	return nil
}

// normNS lower-cases name servers, drops trailing dots, addresses after the
// name and duplicates, and sorts them.
func normNS(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, ns := range in {
		f := strings.Fields(ns)
		if len(f) == 0 {
			continue
		}
		n := strings.TrimSuffix(strings.ToLower(f[0]), ".")
		if n == "" || seen[n] || !strings.Contains(n, ".") || net.ParseIP(n) != nil {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// privacyPhrases are lower-case marks of a privacy or proxy service or of
// GDPR redaction in a contact field.
var privacyPhrases = []string{
	"redacted for privacy",
	"withheld for privacy",
	"privacy service",
	"domains by proxy",
	"contact privacy",
	"whoisguard",
	"data protected",
	"privacyprotect",
	"privacy protect",
	"whois privacy",
	"perfect privacy",
	"privacy guardian",
	"identity protection",
	"redacted for gdpr",
	"gdpr masked",
	"statutory masking enabled",
	"not disclosed",
	"data redacted",
}

// privacyIn looks for privacy evidence in the values of "key: value" lines
// (never in comment lines or free-text terms of use) and returns the first
// such line.
func privacyIn(text string) (bool, string) {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.ContainsRune("%#>;*[", rune(t[0])) {
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		if !ok || len(k) > 48 || strings.Contains(strings.ToLower(k), "url") {
			continue
		}
		lv := strings.ToLower(v)
		for _, p := range privacyPhrases {
			if strings.Contains(lv, p) {
				return true, clip(t, 200)
			}
		}
	}
	return false, ""
}

// isRedacted reports whether a contact value is a redaction placeholder.
func isRedacted(v string) bool {
	lv := strings.ToLower(v)
	for _, p := range []string{"redacted", "withheld", "not disclosed", "data protected", "gdpr masked", "non-public data"} {
		if strings.Contains(lv, p) {
			return true
		}
	}
	return false
}
