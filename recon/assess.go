package recon

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
)

// Rule is one line of the Overall Assessment's rule table: it reads typed
// module facts (never rendered text) and returns zero or more signals.
type Rule struct {
	ID     string // stable id, shown in exports and used by false-positive marks
	Module string // module whose facts it reads; its signals are shown in that block
	Check  func(r *Report, now time.Time) []Signal
}

// Rules is the whole assessment, in one readable table. Each rule has a test.
var Rules = []Rule{
	{"young-domain", "whois", ruleYoungDomain},
	{"not-registered", "whois", ruleNotRegistered},
	{"spoofable-mail", "email", ruleSpoofable},
	{"spf-errors", "email", ruleSPFErrors},
	{"listed", "threat", ruleListed},
	{"listing-unknown", "threat", ruleListingUnknown},
	{"abuse-asn", "threat", ruleAbuseASN},
	{"keyed-malicious", "threat", ruleKeyed},
	{"exposed-ports", "ports", rulePorts},
	{"cert-problems", "ssl", ruleCert},
	{"no-subdomains", "subdomains", ruleNoSubdomains},
	{"security-headers", "headers", ruleHeaders},
	{"cloudflare", "headers", ruleCloudflare},
	{"does-not-resolve", "dns", ruleNoResolve},
	{"non-public-address", "dns", ruleNonPublic},
	{"idn-homograph", "dns", ruleIDNHomograph},
}

// Assess runs every rule, stores each signal in its module's block and
// returns the Overall Assessment (also stored in r.Assessment): red when any
// signal is red, yellow when any is yellow, otherwise green.
func Assess(r *Report, now time.Time) Assessment {
	for _, m := range r.Modules {
		m.Signals = m.Signals[:0]
	}
	var all []Signal
	for _, rule := range Rules {
		for _, s := range rule.Check(r, now) {
			s.Module = rule.Module
			s.Rule = rule.ID
			all = append(all, s)
			if m := r.Module(rule.Module); m != nil {
				m.Signals = append(m.Signals, s)
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Level.Rank() > all[j].Level.Rank() })
	a := Assessment{Level: LevelGreen, Signals: all}
	for _, s := range all {
		if s.Level.Rank() > a.Level.Rank() {
			a.Level = s.Level
		}
	}
	if all == nil {
		a.Signals = []Signal{}
	}
	r.Assessment = a
	return a
}

// LevelWithout recomputes the verdict leaving out the signals of the given
// rule ids (false positives marked by the analyst).
func LevelWithout(a Assessment, ignored map[string]bool) Level {
	lvl := LevelGreen
	for _, s := range a.Signals {
		if ignored[s.Rule] || ignored[s.Rule+":"+s.Text] {
			continue
		}
		if s.Level.Rank() > lvl.Rank() {
			lvl = s.Level
		}
	}
	return lvl
}

func sig(l Level, format string, a ...any) Signal {
	return Signal{Level: l, Text: fmt.Sprintf(format, a...)}
}

func ruleYoungDomain(r *Report, now time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, "whois")
	if w == nil || w.Created == nil {
		return nil
	}
	age := int(now.Sub(*w.Created).Hours() / 24)
	switch {
	case age < 0:
		return []Signal{sig(LevelYellow, "creation date %s is in the future", w.Created.Format("2006-01-02"))}
	case age < 30:
		return []Signal{sig(LevelRed, "domain registered %d days ago (%s), younger than 30 days", age, w.Created.Format("2006-01-02"))}
	case age < 365:
		return []Signal{sig(LevelYellow, "domain registered %d days ago (%s), younger than a year", age, w.Created.Format("2006-01-02"))}
	}
	years := "1 year"
	if age/365 > 1 {
		years = fmt.Sprintf("%d years", age/365)
	}
	return []Signal{sig(LevelGreen, "domain registered %s ago (%s)", years, w.Created.Format("2006-01-02"))}
}

func ruleNotRegistered(r *Report, _ time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, "whois")
	if w == nil || !r.OK("whois") || !w.IsFree() {
		return nil
	}
	return []Signal{sig(LevelYellow, "the registry says %s is not registered", w.Domain)}
}

func ruleSpoofable(r *Report, _ time.Time) []Signal {
	e := FactsOf[EmailFacts](r, "email")
	if e == nil || !r.OK("email") {
		return nil
	}
	if nonexistent(r) {
		return nil // a name that does not exist has no mail posture to judge
	}
	if !e.HasMX && !IsRegisteredDomain(e.Domain) && e.Domain != "" {
		// A host name under a domain (ns1.x.net) that receives no mail: its
		// posture is its parent domain's, judged when that is scanned.
		return nil
	}
	hasSPF, hasDMARC := e.SPF != nil, e.DMARC != nil
	switch {
	case !hasSPF && !hasDMARC:
		return []Signal{sig(LevelRed, "spoofable mail: no SPF and no DMARC record")}
	case hasSPF && e.SPF.All == "+all":
		return []Signal{sig(LevelRed, "spoofable mail: SPF ends in +all (anyone may send)")}
	case !hasDMARC:
		return []Signal{sig(LevelYellow, "spoofable mail: no DMARC record (SPF alone does not protect the From: header)")}
	case e.DMARC.Policy == "none" || e.DMARC.Policy == "":
		return []Signal{sig(LevelYellow, "spoofable mail: DMARC policy is p=none (monitoring only)")}
	case !hasSPF:
		return []Signal{sig(LevelYellow, "no SPF record (DMARC p=%s relies on DKIM alone)", e.DMARC.Policy)}
	}
	return []Signal{sig(LevelGreen, "mail protected: DMARC p=%s, SPF %s", e.DMARC.Policy, orDash(e.SPF.All))}
}

func ruleSPFErrors(r *Report, _ time.Time) []Signal {
	e := FactsOf[EmailFacts](r, "email")
	if e == nil {
		return nil
	}
	var out []Signal
	if e.SPFCount > 1 {
		out = append(out, sig(LevelYellow, "%d SPF records: receivers treat this as a permanent error", e.SPFCount))
	}
	if e.SPF != nil && len(e.SPF.Errors) > 0 {
		out = append(out, sig(LevelYellow, "SPF record is broken: %s", strings.Join(e.SPF.Errors, "; ")))
	}
	return out
}

func ruleListed(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, "threat")
	if t == nil {
		return nil
	}
	var out []Signal
	for _, c := range t.Checks {
		if c.Result != DNSBLListed || c.Policy {
			continue
		}
		what := strings.Join(c.Meanings, ", ")
		if what == "" {
			what = strings.Join(c.Codes, ", ")
		}
		since := ""
		if c.Since != "" {
			since = " since " + c.Since
		}
		out = append(out, sig(LevelRed, "%s is listed on %s (%s)%s", c.Subject, c.Zone, what, since))
	}
	return out
}

func ruleListingUnknown(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, "threat")
	if t == nil {
		return nil
	}
	var zones []string
	for _, c := range t.Checks {
		if c.Result == DNSBLUnknown {
			zones = append(zones, c.Zone+": "+c.Reason)
		}
	}
	if len(zones) == 0 {
		return nil
	}
	return []Signal{sig(LevelYellow, "blocklist status unknown (%s); use your own recursive resolver with --resolver", strings.Join(uniq(zones), "; "))}
}

func ruleAbuseASN(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, "threat")
	if t == nil {
		return nil
	}
	var out []Signal
	seen := map[uint32]bool{}
	for _, a := range t.ASN {
		if seen[a.ASN] {
			continue
		}
		seen[a.ASN] = true
		org := ""
		if a.Org != "" {
			org = " (" + a.Org + ")"
		}
		out = append(out, sig(LevelRed, "hosted in AS%d%s, on the abuse-tolerant list %s", a.ASN, org, a.Source))
	}
	return out
}

func ruleKeyed(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, "threat")
	if t == nil {
		return nil
	}
	var out []Signal
	for _, k := range t.Keyed {
		if k.Malicious {
			out = append(out, sig(LevelRed, "%s: %s", k.Source, k.Detail))
		}
	}
	return out
}

func rulePorts(r *Report, _ time.Time) []Signal {
	p := FactsOf[PortsFacts](r, "ports")
	if p == nil {
		return nil
	}
	var out []Signal
	for _, h := range p.Hosts {
		if h.CDN != "" {
			continue // the ports describe the CDN edge, not the origin
		}
		var extra []string
		for _, port := range h.Ports {
			if port != 80 && port != 443 {
				extra = append(extra, fmt.Sprint(port))
			}
		}
		switch {
		case len(h.Vulns) > 0:
			out = append(out, sig(LevelRed, "%s exposes ports %s with %d known CVEs (%s)", h.IP, joinInts(h.Ports), len(h.Vulns), firstN(h.Vulns, 3)))
		case len(extra) > 0:
			out = append(out, sig(LevelYellow, "%s exposes ports beyond 80/443: %s", h.IP, strings.Join(extra, ", ")))
		}
	}
	return out
}

func ruleCert(r *Report, now time.Time) []Signal {
	s := FactsOf[SSLFacts](r, "ssl")
	if s == nil {
		return nil
	}
	var out []Signal
	seen := map[string]bool{}
	for _, c := range s.Certs {
		if seen[c.SHA256] {
			continue
		}
		seen[c.SHA256] = true
		switch {
		case c.SelfSigned:
			out = append(out, sig(LevelRed, "self-signed certificate (%s)", c.Subject))
		case c.Expired || now.After(c.NotAfter):
			out = append(out, sig(LevelRed, "certificate expired on %s", c.NotAfter.Format("2006-01-02")))
		case c.NameMismatch && r.Target.Kind == KindIP:
			// A certificate naming domains, not the bare IP, is normal.
		case c.NameMismatch:
			out = append(out, sig(LevelYellow, "certificate does not cover %s", c.ServerName))
		case !c.Verified && c.VerifyError != "":
			out = append(out, sig(LevelYellow, "certificate does not verify: %s", c.VerifyError))
		case c.DaysLeft < 7:
			out = append(out, sig(LevelYellow, "certificate expires in %d days", c.DaysLeft))
		}
	}
	return out
}

func ruleNoSubdomains(r *Report, _ time.Time) []Signal {
	s := FactsOf[SubdomainFacts](r, "subdomains")
	if s == nil || !r.OK("subdomains") || !IsRegisteredDomain(r.Target.Domain()) || nonexistent(r) {
		return nil // a host name, or a name that does not exist, has no footprint to expect
	}
	if s.Total == 0 {
		return []Signal{sig(LevelYellow, "no subdomains in Certificate Transparency: no operational footprint")}
	}
	return nil
}

var securityHeaders = []string{"Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"}

func ruleHeaders(r *Report, _ time.Time) []Signal {
	h := FactsOf[HeadersFacts](r, "headers")
	if h == nil || !r.OK("headers") {
		return nil
	}
	var missing []string
	for _, c := range h.Security {
		if !c.Present {
			missing = append(missing, c.Name)
		}
	}
	switch {
	case len(missing) >= 3:
		return []Signal{sig(LevelYellow, "missing security headers: %s", strings.Join(missing, ", "))}
	case len(missing) == 0 && len(h.Security) > 0:
		return []Signal{sig(LevelGreen, "all %d security headers present", len(h.Security))}
	}
	return nil
}

func ruleCloudflare(r *Report, _ time.Time) []Signal {
	h := FactsOf[HeadersFacts](r, "headers")
	p := FactsOf[PortsFacts](r, "ports")
	cf := h != nil && h.Cloudflare
	if p != nil {
		for _, x := range p.Hosts {
			if x.CDN == "cloudflare" {
				cf = true
			}
		}
	}
	if !cf {
		return nil
	}
	return []Signal{sig(LevelYellow, "behind Cloudflare: the IP is Cloudflare's, not the origin's, so the IP pivot says little")}
}

func ruleNoResolve(r *Report, _ time.Time) []Signal {
	d := FactsOf[DNSFacts](r, "dns")
	if d == nil || r.Target.Kind == KindIP || !r.OK("dns") {
		return nil
	}
	if d.NXDomain {
		return []Signal{sig(LevelYellow, "%s does not exist in DNS (NXDOMAIN)", d.Name)}
	}
	if len(d.A) == 0 && len(d.AAAA) == 0 {
		return []Signal{sig(LevelYellow, "%s has no A or AAAA record", d.Name)}
	}
	return nil
}

func ruleNonPublic(r *Report, _ time.Time) []Signal {
	d := FactsOf[DNSFacts](r, "dns")
	if d == nil {
		return nil
	}
	var out []Signal
	for _, ip := range append(append([]string{}, d.A...), d.AAAA...) {
		if why := nonPublicString(ip); why != "" {
			out = append(out, sig(LevelRed, "resolves to %s, a %s address: not contacted (a public name pointing inward is a trap or a misconfiguration)", ip, why))
		}
	}
	return out
}

// nonexistent reports whether DNS says the target's name does not exist.
func nonexistent(r *Report) bool {
	d := FactsOf[DNSFacts](r, "dns")
	return d != nil && d.NXDomain
}

func orDash(s string) string {
	if s == "" {
		return "(no all)"
	}
	return s
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func joinInts(n []int) string {
	s := make([]string, len(n))
	for i, x := range n {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

func firstN(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(" and %d more", len(s)-n)
}

// homoglyphs maps Cyrillic and Greek letters that look like Latin ones to
// the Latin letter, to show which name an IDN imitates.
var homoglyphs = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'ӏ': 'l',
	'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'ц': 'u', 'ѵ': 'v',
	'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y', 'ԁ': 'd', 'с': 'c', 'ɡ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ω': 'w',
}

// scriptOf names the script of a letter among those homographs mix.
func scriptOf(r rune) string {
	switch {
	case unicode.Is(unicode.Latin, r):
		return "Latin"
	case unicode.Is(unicode.Cyrillic, r):
		return "Cyrillic"
	case unicode.Is(unicode.Greek, r):
		return "Greek"
	case unicode.Is(unicode.Armenian, r):
		return "Armenian"
	case unicode.IsLetter(r):
		return "other"
	}
	return "" // digits, hyphens, marks: no script of their own
}

// ruleIDNHomograph flags an internationalised domain whose Unicode form
// imitates a Latin name: a label mixing scripts (xn--pple-43d = "аpple" with
// a Cyrillic а), or a label made only of Latin look-alikes ("раураl"). The
// signal shows both the punycode and the Unicode form.
func ruleIDNHomograph(r *Report, _ time.Time) []Signal {
	name := r.Target.Domain()
	if !strings.Contains(name, "xn--") {
		if d := FactsOf[DNSFacts](r, "dns"); d != nil {
			name = d.Name
		}
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !strings.Contains(name, "xn--") {
		return nil
	}
	uni, err := idna.Punycode.ToUnicode(name)
	if err != nil || uni == name {
		return nil
	}
	var why []string
	var skeleton []string
	fake := false
	for _, label := range strings.Split(uni, ".") {
		scripts := map[string]bool{}
		var order []string
		var sk strings.Builder
		allLookalike := true
		nonLatin := false
		for _, c := range label {
			s := scriptOf(c)
			if s != "" && !scripts[s] {
				scripts[s] = true
				order = append(order, s)
			}
			if l, ok := homoglyphs[c]; ok {
				sk.WriteRune(l)
				nonLatin = true
			} else {
				sk.WriteRune(c)
				if s != "" && s != "Latin" {
					allLookalike = false
					nonLatin = true
				}
			}
		}
		skeleton = append(skeleton, sk.String())
		switch {
		case len(order) > 1:
			fake = true
			why = append(why, fmt.Sprintf("%q mixes %s letters", label, strings.Join(order, " and ")))
		case nonLatin && allLookalike && len(order) == 1 && order[0] != "Latin":
			fake = true
			why = append(why, fmt.Sprintf("%q is %s letters that look Latin", label, order[0]))
		}
	}
	if !fake {
		return nil
	}
	return []Signal{sig(LevelRed, "IDN homograph: %s is shown as %s (%s); it imitates %s", name, uni, strings.Join(why, "; "), strings.Join(skeleton, "."))}
}
