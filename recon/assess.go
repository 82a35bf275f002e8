package recon

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
)

// How a verdict is reached (the seed: "conclusions proportional to the
// convergence of signals. One red flag is a reason to look further").
//
// Each rule of the table reads typed module facts (never rendered text)
// and gives signals of four kinds: a flag (evidence of concern) with a
// weight — 0.5 weak, 1 a flag, 2 strong, 3 decisive — in an independence
// group; a good signal (evidence against); a caveat (a limit of the
// evidence, shown without colour); a note (no weight). Converge turns the
// flags into a verdict:
//
//   - a group counts once, with its heaviest flag (a listed IP and an
//     abuse-tolerant ASN are one piece of evidence: the hosting's
//     reputation);
//   - red needs converging evidence: two groups with strong flags (≥ 2), or
//     the target itself listed by a reputable source (listing, 3) together
//     with a flag in another group, or three flagged groups one of them
//     strong, or two flagged groups one of them strong with weak flags in
//     others bringing the sum of the groups to 4, or four flagged groups;
//   - yellow: at least one flag (≥ 1) — "one flag: look further" — or weak
//     flags adding up to 1.5;
//   - green otherwise.
//
// A flag's signal is shown red when it weighs 2 or more, yellow below; good
// signals green; caveats and notes without colour (LevelInfo).

// Independence groups of the rule table.
const (
	GroupAge          = "age"
	GroupRegistration = "registration"
	GroupListing      = "listing"
	GroupReputation   = "infrastructure reputation"
	GroupExposure     = "exposure"
	GroupMail         = "mail posture"
	GroupTLS          = "TLS hygiene"
	GroupContent      = "content"
	GroupFootprint    = "footprint"
	GroupDNS          = "dns"
	GroupName         = "name"
)

// Rule is one line of the Overall Assessment's rule table: it reads typed
// module facts (never rendered text) and returns zero or more signals.
type Rule struct {
	ID     string  // stable id, shown in exports and used by false-positive marks
	Module string  // module whose facts it reads; its signals are shown in that block
	Group  string  // independence group of its flags (a signal may name another)
	Weight float64 // weight of its flags (a signal may carry its own)
	Check  func(r *Report, now time.Time) []Signal
}

// Rules is the whole assessment, in one readable table. Each rule has a test.
var Rules = []Rule{
	{"young-domain", ModuleWhois, GroupAge, 2, ruleYoungDomain},
	{"not-registered", ModuleWhois, GroupRegistration, 1, ruleNotRegistered},
	{"registry-hold", ModuleWhois, GroupRegistration, 2, ruleRegistryHold},
	{"registrant-disclosed", ModuleWhois, GroupRegistration, 0, ruleRegistrant},
	{"parked", ModuleDNS, GroupContent, 1, ruleParked},
	{"spoofable-mail", ModuleEmail, GroupMail, 1, ruleSpoofable},
	{"spf-errors", ModuleEmail, GroupMail, 0.5, ruleSPFErrors},
	{"listed", ModuleThreat, GroupReputation, 2, ruleListed},
	{"not-listed", ModuleThreat, GroupReputation, 0, ruleNotListed},
	{"listing-unknown", ModuleThreat, GroupReputation, 0, ruleListingUnknown},
	{"abuse-asn", ModuleThreat, GroupReputation, 1, ruleAbuseASN},
	{"keyed-malicious", ModuleThreat, GroupListing, 3, ruleKeyed},
	{"exposed-ports", ModulePorts, GroupExposure, 1.5, rulePorts},
	{"cert-problems", ModuleSSL, GroupTLS, 1, ruleCert},
	{"no-subdomains", ModuleSubdomains, GroupFootprint, 0.5, ruleNoSubdomains},
	{"security-headers", ModuleHeaders, GroupContent, 0.5, ruleHeaders},
	{"cloudflare", ModuleHeaders, GroupReputation, 0, ruleCloudflare},
	{"does-not-resolve", ModuleDNS, GroupDNS, 1, ruleNoResolve},
	{"non-public-address", ModuleDNS, GroupDNS, 2, ruleNonPublic},
	{"idn-homograph", ModuleDNS, GroupName, 2, ruleIDNHomograph},
}

// Assess runs every rule, stores each signal in its module's block and
// returns the Overall Assessment (also stored in r.Assessment), reached by
// Converge.
func Assess(r *Report, now time.Time) Assessment {
	for _, m := range r.Modules {
		m.Signals = m.Signals[:0]
	}
	var all []Signal
	for _, rule := range Rules {
		for _, s := range rule.Check(r, now) {
			s.Module = rule.Module
			s.Rule = rule.ID
			s = complete(s, rule)
			all = append(all, s)
			if m := r.Module(rule.Module); m != nil {
				m.Signals = append(m.Signals, s)
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Level.Rank() > all[j].Level.Rank() })
	a := Converge(all)
	a.Signals = all
	if all == nil {
		a.Signals = []Signal{}
	}
	r.Assessment = a
	return a
}

// complete fills a signal's kind, weight, group and level from its rule.
func complete(s Signal, rule Rule) Signal {
	if s.Kind == "" {
		if s.Level == LevelGreen {
			s.Kind = KindGood
		} else {
			s.Kind = KindFlag
		}
	}
	switch s.Kind {
	case KindFlag:
		if s.Weight == 0 {
			s.Weight = rule.Weight
		}
		if s.Group == "" {
			s.Group = rule.Group
		}
		s.Level = LevelYellow
		if s.Weight >= 2 {
			s.Level = LevelRed
		}
	case KindGood:
		s.Weight = 0
		if s.Group == "" {
			s.Group = rule.Group
		}
		s.Level = LevelGreen
	default:
		s.Weight, s.Level = 0, LevelInfo
	}
	return s
}

// LevelWithout recomputes the verdict leaving out the signals of the given
// rule ids (false positives marked by the analyst).
//
// Without any ignored signal it returns the stored level (a report read
// from an older session keeps the verdict it was saved with).
func LevelWithout(a Assessment, ignored map[string]bool) Level {
	var kept []Signal
	dropped := false
	for _, s := range a.Signals {
		if ignored[s.Rule] || ignored[s.Rule+":"+s.Text] {
			dropped = true
			continue
		}
		kept = append(kept, s)
	}
	if !dropped && a.Level != LevelNone {
		return a.Level
	}
	return Converge(kept).Level
}

// flagOf reads a signal as a flag: signals written before flags had kinds
// (sessions of older versions) count by their level (red 2, yellow 1).
func flagOf(s Signal) (w float64, group string, ok bool) {
	switch {
	case s.Kind == KindFlag:
		g := s.Group
		if g == "" {
			g = s.Rule
		}
		return s.Weight, g, true
	case s.Kind == "" && s.Level == LevelRed:
		return 2, s.Rule, true
	case s.Kind == "" && s.Level == LevelYellow:
		return 1, s.Rule, true
	}
	return 0, "", false
}

// Converge reaches a verdict from signals (the rules are at the top of
// this file) and says why, with the evidence for and against and what
// would change it. Signals is left empty.
func Converge(sigs []Signal) Assessment {
	group := map[string]float64{}
	top := map[string]string{}
	var a Assessment
	for _, s := range sigs {
		if w, g, ok := flagOf(s); ok {
			if w > group[g] {
				group[g], top[g] = w, s.Text
			}
			a.For = append(a.For, fmt.Sprintf("%s (%s, weight %.3g)", s.Text, g, w))
			continue
		}
		switch {
		case s.Kind == KindGood || s.Kind == "" && s.Level == LevelGreen:
			a.Against = append(a.Against, s.Text)
		case s.Kind == KindCaveat:
			a.Caveats = append(a.Caveats, s.Text)
		}
	}
	var flagged, strong, weak []string
	listing := false
	total := 0.0
	for g, w := range group {
		total += w
		switch {
		case w >= 2:
			strong = append(strong, g)
			flagged = append(flagged, g)
		case w >= 1:
			flagged = append(flagged, g)
		default:
			weak = append(weak, g)
		}
		if g == GroupListing && w >= 3 {
			listing = true
		}
	}
	sort.Strings(flagged)
	sort.Strings(strong)
	sort.Strings(weak)
	name := func(gs []string) string {
		out := make([]string, len(gs))
		for i, g := range gs {
			out[i] = g + " (" + top[g] + ")"
		}
		return strings.Join(out, "; ")
	}
	unflagged := func() string {
		var out []string
		for _, g := range []string{GroupAge, GroupListing, GroupReputation, GroupMail, GroupRegistration, GroupExposure, GroupTLS, GroupContent} {
			if group[g] < 1 {
				out = append(out, g)
			}
		}
		return strings.Join(out, ", ")
	}
	switch {
	case listing && len(flagged) >= 2,
		len(strong) >= 2,
		len(flagged) >= 3 && len(strong) >= 1,
		len(flagged) >= 2 && len(strong) >= 1 && total >= 4,
		len(flagged) >= 4:
		a.Level = LevelRed
		a.Why = fmt.Sprintf("converging evidence from %d independent groups: %s", len(flagged), name(flagged))
		if len(weak) > 0 {
			a.Why += "; and weaker: " + name(weak)
		}
		a.WouldChange = []string{fmt.Sprintf("only if most of this evidence proved false: marking false positives until one group (or two weak ones) remains would bring it to yellow")}
	case len(flagged) == 1:
		a.Level = LevelYellow
		a.Why = "one flag: look further — " + name(flagged)
		if len(weak) > 0 {
			a.Why += "; and weaker: " + name(weak)
		}
		a.WouldChange = []string{
			"red: converging evidence from another independent group (" + unflagged() + ")",
			"green: the flag proving false or going away (" + top[flagged[0]] + ")",
		}
	case len(flagged) > 1:
		a.Level = LevelYellow
		a.Why = fmt.Sprintf("flags in %d groups, not yet converging: look further — %s", len(flagged), name(flagged))
		if len(weak) > 0 {
			a.Why += "; and weaker: " + name(weak)
		}
		a.WouldChange = []string{"red: a strong flag in another group or a third flagged group (" + unflagged() + ")"}
	case total >= 1.5:
		a.Level = LevelYellow
		a.Why = "weak flags add up: look further — " + name(weak)
		a.WouldChange = []string{"green: fixing the weak points; red: converging flags from independent groups"}
	default:
		a.Level = LevelGreen
		a.Why = "no flag"
		if len(weak) > 0 {
			a.Why = "no flag; minor points: " + name(weak)
		}
		a.WouldChange = []string{"yellow: any flag (a young registration, a listing, spoofable mail, a certificate problem); red: flags converging from independent groups"}
	}
	return a
}

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

// Parked reports whether a report shows a parked domain, and how.
func Parked(r *Report) []string {
	var how []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			how = append(how, s)
		}
	}
	d := FactsOf[DNSFacts](r, ModuleDNS)
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	var ns []string
	if d != nil {
		ns = d.NS
	}
	if len(ns) == 0 && w != nil {
		ns = w.NameServers
	}
	for _, n := range ns {
		if p := ParkingNS(n); p != "" {
			add("name servers of " + p + " (" + strings.TrimSuffix(strings.ToLower(n), ".") + ")")
			break
		}
	}
	if d != nil {
		for _, a := range append(append([]string{}, d.A...), d.AAAA...) {
			if p := ParkingAddr(a); p != "" {
				add("address " + a + " of " + p)
				break
			}
		}
	}
	if h := FactsOf[HeadersFacts](r, ModuleHeaders); h != nil && h.Parking != "" {
		add(fmt.Sprintf("the page says %q", h.Parking))
	}
	return how
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
			out = append(out, flag(0, "%s exposes ports %s with %d known CVEs (%s)", h.IP, joinInts(h.Ports), len(h.Vulns), firstN(h.Vulns, 3)))
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
		if d := FactsOf[DNSFacts](r, ModuleDNS); d != nil {
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
	return []Signal{flag(2, "IDN homograph: %s is shown as %s (%s); it imitates %s", name, uni, strings.Join(why, "; "), strings.Join(skeleton, "."))}
}
