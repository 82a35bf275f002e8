// rules.go holds the checks of the Rules table (one func per rule, in the
// table's order), the signal constructors they use and their text helpers.

package recon

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

func sig(l Level, format string, a ...any) Signal {
	return Signal{Level: l, Text: fmt.Sprintf(format, a...)}
}

// flag is a flag of weight w (0: the rule's).
func flag(w float64, format string, a ...any) Signal {
	return Signal{Kind: KindFlag, Weight: w, Text: fmt.Sprintf(format, a...)}
}

func good(format string, a ...any) Signal {
	return Signal{Kind: KindGood, Level: LevelGreen, Text: fmt.Sprintf(format, a...)}
}

func caveat(format string, a ...any) Signal {
	return Signal{Kind: KindCaveat, Level: LevelInfo, Text: fmt.Sprintf(format, a...)}
}

func note(format string, a ...any) Signal {
	return Signal{Kind: KindNote, Level: LevelInfo, Text: fmt.Sprintf(format, a...)}
}

func ruleYoungDomain(r *Report, now time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	if w == nil || w.Created == nil {
		return nil
	}
	age := int(now.Sub(*w.Created).Hours() / 24)
	switch {
	case age < 0:
		return []Signal{flag(1, "creation date %s is in the future", w.Created.Format("2006-01-02"))}
	case age < 30:
		return []Signal{flag(2, "domain registered %d days ago (%s), younger than 30 days", age, w.Created.Format("2006-01-02"))}
	case age < 90:
		return []Signal{flag(1, "domain registered %d days ago (%s), younger than 90 days", age, w.Created.Format("2006-01-02"))}
	case age < 365:
		return []Signal{flag(0.5, "domain registered %d days ago (%s), younger than a year", age, w.Created.Format("2006-01-02"))}
	}
	years := "1 year"
	if age/365 > 1 {
		years = fmt.Sprintf("%d years", age/365)
	}
	return []Signal{good("domain registered %s ago (%s)", years, w.Created.Format("2006-01-02"))}
}

func ruleNotRegistered(r *Report, _ time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	if w == nil || !r.OK(ModuleWhois) || !w.IsFree() {
		return nil
	}
	return []Signal{flag(0, "the registry says %s is not registered", w.Domain)}
}

// holdStatus maps EPP status codes (lower case, no spaces) to a flag
// weight and what the status means.
var holdStatus = []struct {
	code string
	w    float64
	what string
}{
	{"serverhold", 2, "the registry has put it on hold (serverHold): removed from DNS, usually a takedown for abuse or a legal order"},
	{"clienthold", 1.5, "the registrar has put it on hold (clientHold): removed from DNS, a takedown by the registrar or an unpaid or unverified registration"},
	{"redemptionperiod", 1, "the registration lapsed and was deleted (redemptionPeriod): only the former owner can restore it"},
	{"pendingdelete", 1, "the registry is about to release the name (pendingDelete)"},
}

// registryHold returns the hold statuses of a WHOIS answer.
func registryHold(w *WhoisFacts) (codes []string, weight float64, what []string) {
	if w == nil {
		return nil, 0, nil
	}
	for _, h := range holdStatus {
		for _, st := range w.Status {
			// "serverHold https://icann.org/epp#serverHold", RDAP's "server hold"
			if f := strings.ToLower(strings.Join(strings.Fields(st), "")); strings.HasPrefix(f, h.code) {
				codes = append(codes, h.code)
				weight = max(weight, h.w)
				what = append(what, h.what)
				break
			}
		}
	}
	return codes, weight, what
}

func ruleRegistryHold(r *Report, _ time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	_, weight, what := registryHold(w)
	if weight == 0 {
		return nil
	}
	return []Signal{flag(weight, "registry hold — signs of a takedown: %s", strings.Join(what, "; "))}
}

func ruleRegistrant(r *Report, _ time.Time) []Signal {
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	if w == nil || !w.Registered {
		return nil
	}
	org := strings.TrimSpace(w.RegistrantOrg)
	low := strings.ToLower(org)
	switch {
	case w.Privacy:
		return []Signal{note("registrant hidden behind a privacy service (%s): common, neither for nor against", orDash2(w.PrivacyEvidence))}
	case org == "" || strings.Contains(low, "redacted") || strings.Contains(low, "privacy") || strings.Contains(low, "withheld"):
		return nil
	}
	where := ""
	if w.RegistrantCountry != "" {
		where = " (" + w.RegistrantCountry + ")"
	}
	return []Signal{good("registrant disclosed: %s%s", org, where)}
}

func orDash2(s string) string {
	if s == "" {
		return "not named"
	}
	return s
}

func ruleParked(r *Report, _ time.Time) []Signal {
	how := Parked(r)
	if len(how) == 0 {
		return nil
	}
	return []Signal{flag(0, "parked domain: %s — not in use; a parked name can be pointed at anything at any time: look further", strings.Join(how, "; "))}
}

func ruleSpoofable(r *Report, _ time.Time) []Signal {
	e := FactsOf[EmailFacts](r, ModuleEmail)
	if e == nil || !r.OK(ModuleEmail) {
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
		return []Signal{flag(1, "spoofable mail: no SPF and no DMARC record")}
	case hasSPF && e.SPF.All == "+all":
		return []Signal{flag(1.5, "spoofable mail: SPF ends in +all (anyone may send)")}
	case !hasDMARC:
		return []Signal{flag(0.5, "spoofable mail: no DMARC record (SPF alone does not protect the From: header)")}
	case e.DMARC.Policy == "none" || e.DMARC.Policy == "":
		return []Signal{flag(0.5, "spoofable mail: DMARC policy is p=none (monitoring only)")}
	case !hasSPF:
		return []Signal{flag(0.5, "no SPF record (DMARC p=%s relies on DKIM alone)", e.DMARC.Policy)}
	}
	return []Signal{good("mail protected: DMARC p=%s, SPF %s", e.DMARC.Policy, orDash(e.SPF.All))}
}

func ruleSPFErrors(r *Report, _ time.Time) []Signal {
	e := FactsOf[EmailFacts](r, ModuleEmail)
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
	t := FactsOf[ThreatFacts](r, ModuleThreat)
	if t == nil {
		return nil
	}
	self := strings.ToLower(strings.TrimSuffix(r.Target.Domain(), "."))
	if r.Target.Kind == KindIP {
		self = strings.ToLower(r.Target.Value)
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
		s := flag(2, "%s is listed on %s (%s)%s", c.Subject, c.Zone, what, since)
		// The threat module checks the target (a domain, or the IP
		// itself) and the target's addresses: a listed name is the target.
		_, ipErr := netip.ParseAddr(c.Subject)
		if ipErr != nil || strings.EqualFold(strings.TrimSuffix(c.Subject, "."), self) {
			s.Weight, s.Group = 3, GroupListing // the target itself
			s.Text += ": the target itself"
		} else {
			s.Text += ": its hosting's reputation"
		}
		out = append(out, s)
	}
	return out
}

func ruleNotListed(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, ModuleThreat)
	if t == nil || !r.OK(ModuleThreat) || len(t.Checks) == 0 {
		return nil
	}
	zones := map[string]bool{}
	for _, c := range t.Checks {
		if c.Result != DNSBLClean && !(c.Result == DNSBLListed && c.Policy) {
			return nil // a listing or an unknown answer: nothing to say for it
		}
		zones[c.Zone] = true
	}
	var zs []string
	for z := range zones {
		zs = append(zs, z)
	}
	sort.Strings(zs)
	return []Signal{good("not listed: %d checks on %s came back clean", len(t.Checks), strings.Join(zs, ", "))}
}

func ruleListingUnknown(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, ModuleThreat)
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
	return []Signal{caveat("blocklist status unknown (%s): not checked, not clean; use your own recursive resolver with --resolver", strings.Join(uniq(zones), "; "))}
}

func ruleAbuseASN(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, ModuleThreat)
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
		out = append(out, flag(1, "hosted in AS%d%s, on the abuse-tolerant list %s: context that matters, not proof", a.ASN, org, a.Source))
	}
	return out
}

func ruleKeyed(r *Report, _ time.Time) []Signal {
	t := FactsOf[ThreatFacts](r, ModuleThreat)
	if t == nil {
		return nil
	}
	var out []Signal
	for _, k := range t.Keyed {
		if !k.Malicious {
			continue
		}
		s := flag(3, "%s: %s", k.Source, k.Detail)
		if strings.EqualFold(k.Source, "abuseipdb") && r.Target.Kind != KindIP {
			s.Weight, s.Group = 2, GroupReputation // reports on the hosting address
		}
		out = append(out, s)
	}
	return out
}

func rulePorts(r *Report, _ time.Time) []Signal {
	p := FactsOf[PortsFacts](r, ModulePorts)
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
			out = append(out, flag(0, "%s exposes ports %s with %d known CVEs (%s)", h.IP, joinInts(h.Ports), len(h.Vulns), ListSome(h.Vulns, 3)))
		case len(extra) > 0:
			out = append(out, note("%s has ports beyond 80/443 open (%s), no known CVEs: not a flag by itself", h.IP, strings.Join(extra, ", ")))
		}
	}
	return out
}

func ruleCert(r *Report, now time.Time) []Signal {
	s := FactsOf[SSLFacts](r, ModuleSSL)
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
			out = append(out, flag(1, "self-signed certificate (%s)", c.Subject))
		case c.Expired || now.After(c.NotAfter):
			out = append(out, flag(1, "certificate expired on %s: neglect rather than fraud by itself", c.NotAfter.Format("2006-01-02")))
		case c.NameMismatch && r.Target.Kind == KindIP:
			// A certificate naming domains, not the bare IP, is normal.
		case c.NameMismatch:
			out = append(out, flag(0.5, "certificate does not cover %s", c.ServerName))
		case !c.Verified && c.VerifyError != "":
			out = append(out, flag(0.5, "certificate does not verify: %s", c.VerifyError))
		case c.DaysLeft < 7:
			out = append(out, note("certificate expires in %d days", c.DaysLeft))
		}
	}
	return out
}

func ruleNoSubdomains(r *Report, _ time.Time) []Signal {
	s := FactsOf[SubdomainFacts](r, ModuleSubdomains)
	if s == nil || !r.OK(ModuleSubdomains) || !IsRegisteredDomain(r.Target.Domain()) || nonexistent(r) {
		return nil // a host name, or a name that does not exist, has no footprint to expect
	}
	if s.Total == 0 {
		return []Signal{flag(0.5, "no subdomains in Certificate Transparency: no operational footprint")}
	}
	return nil
}

func ruleHeaders(r *Report, _ time.Time) []Signal {
	h := FactsOf[HeadersFacts](r, ModuleHeaders)
	if h == nil || !r.OK(ModuleHeaders) {
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
		return []Signal{flag(0.5, "missing security headers: %s", strings.Join(missing, ", "))}
	case len(missing) == 0 && len(h.Security) > 0:
		return []Signal{good("all %d security headers present", len(h.Security))}
	}
	return nil
}

func ruleCloudflare(r *Report, _ time.Time) []Signal {
	h := FactsOf[HeadersFacts](r, ModuleHeaders)
	p := FactsOf[PortsFacts](r, ModulePorts)
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
	return []Signal{caveat("behind Cloudflare: the IP pivot shows the CDN, not the origin (its address, ASN and ports say nothing about the site)")}
}

func ruleNoResolve(r *Report, _ time.Time) []Signal {
	d := FactsOf[DNSFacts](r, ModuleDNS)
	if d == nil || r.Target.Kind == KindIP || !r.OK(ModuleDNS) {
		return nil
	}
	if d.NXDomain {
		if codes, _, _ := registryHold(FactsOf[WhoisFacts](r, ModuleWhois).Own()); len(codes) > 0 {
			return []Signal{note("%s does not exist in DNS (NXDOMAIN) although registered: what a registry hold does", d.Name)}
		}
		return []Signal{flag(0, "%s does not exist in DNS (NXDOMAIN)", d.Name)}
	}
	if len(d.A) == 0 && len(d.AAAA) == 0 {
		if d.Errors["A"] != "" || d.Errors["AAAA"] != "" {
			return nil // an unanswered question is not "no record"
		}
		return []Signal{note("%s has no A or AAAA record", d.Name)}
	}
	return nil
}

func ruleNonPublic(r *Report, _ time.Time) []Signal {
	d := FactsOf[DNSFacts](r, ModuleDNS)
	if d == nil {
		return nil
	}
	var out []Signal
	for _, ip := range append(append([]string{}, d.A...), d.AAAA...) {
		if why := nonPublicString(ip); why != "" {
			out = append(out, flag(2, "resolves to %s, a %s address: not contacted (a public name pointing inward is a trap or a misconfiguration)", ip, why))
		}
	}
	return out
}

func nonexistent(r *Report) bool {
	d := FactsOf[DNSFacts](r, ModuleDNS)
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

// ListSome joins the first n values of list with ", " and says how many
// more there are ("a, b and 3 more"): how a finding's text and an export's
// caption name a long list (the CVEs of a host, a cluster's members).
func ListSome(list []string, n int) string {
	n = max(n, 0)
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:n], ", ") + fmt.Sprintf(" and %d more", len(list)-n)
}

// ruleTooLittleChecked: when more than half of the modules that ran could
// not answer (a resolver that refuses or times out takes DNS and every
// module that needs an address with it), the few checks left cannot
// clear the target. A caveat, not a flag: Converge keeps the verdict
// from green with it but never counts it towards red.
func ruleTooLittleChecked(r *Report, _ time.Time) []Signal {
	gaps := Unchecked(r)
	ran := 0
	for _, m := range r.Modules {
		if m != nil && m.Status != StatusSkipped {
			ran++
		}
	}
	if len(gaps) == 0 || 2*len(gaps) <= ran {
		return nil
	}
	return []Signal{caveat("%d of %d checks could not run: too little was read to clear it", len(gaps), ran)}
}
