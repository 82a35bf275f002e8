// assess.go holds the Overall Assessment: the rule table (Rules and its
// independence groups) and the engine that runs it (Assess) and reaches a
// verdict (Converge, LevelWithout). The checks are in rules.go and idn.go.

package recon

import (
	"fmt"
	"sort"
	"strings"
	"time"
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
	{"too-little-checked", ModuleDNS, "", 0, ruleTooLittleChecked},
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
	if gaps := Unchecked(r); len(gaps) > 0 {
		// A check that did not run is no evidence either way: a verdict
		// short of red says what it could not see.
		gap := "not checked: " + strings.Join(gaps, ", ") + " — their silence is no evidence either way"
		a.Caveats = append(a.Caveats, gap)
		if a.Level != LevelRed {
			a.Why += "; " + gap
		}
	}
	r.Assessment = a
	return a
}

// Unchecked lists the modules of r that ran and did not end ok, in
// display order, with their status ("email (error)", "threat
// (rate-limited)"): checks whose questions went unanswered. Skipped
// modules (no key, passive-strict, nothing to ask) are not listed.
func Unchecked(r *Report) []string {
	var out []string
	for _, id := range SortedModuleIDs(r) {
		if m := r.Module(id); m != nil && (m.Status == StatusError || m.Status == StatusRateLimited) {
			out = append(out, id+" ("+string(m.Status)+")")
		}
	}
	return out
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
		if gap, ok := tooLittle(sigs); ok {
			// No flag among the few checks that ran is not "clean": the
			// verdict says to look further rather than clear the target.
			a.Level = LevelYellow
			a.Why = "look further — " + gap
			if len(weak) > 0 {
				a.Why += "; minor points: " + name(weak)
			}
			a.WouldChange = []string{"green: the checks that could not run answering without a flag (a resolver that serves you, or a later retry)",
				"red: flags converging from independent groups"}
		}
	}
	return a
}

// tooLittle returns the too-little-checked caveat's text, if sigs hold
// one. It only ever stops a green: it is no flag, and never counts
// towards red (what could not be read is no evidence either way).
func tooLittle(sigs []Signal) (string, bool) {
	for _, s := range sigs {
		if s.Rule == "too-little-checked" && s.Kind == KindCaveat {
			return s.Text, true
		}
	}
	return "", false
}
