package render

import (
	"fmt"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// Threat describes blocklist checks: the lists whose test points failed
// or were asked another way, one row per look-up ("LISTED" red, a policy
// listing yellow, "clean" green, "unknown" — could not check — yellow,
// never clean), the abuse-tolerant hosting ASNs (red) and the keyed
// sources (a source that does not know the address says "not known", not
// "clean").
func Threat(f *recon.ThreatFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	for _, ts := range f.Tests {
		if !ts.OK || ts.Via != "resolver" {
			r := recon.Row{Label: "test points", Value: ts.Zone + ": " + ts.Detail}
			if !ts.OK {
				r.Level = recon.LevelYellow
			}
			out = append(out, r)
		}
	}
	for _, c := range f.Checks {
		r := recon.Row{Label: "blocklist"}
		var word string
		var notes []string
		switch c.Result {
		case recon.DNSBLListed:
			word, r.Level = "LISTED", recon.LevelRed
			if c.Policy {
				word, r.Level = "policy listing", recon.LevelYellow
			}
			what := c.Meanings
			if len(what) == 0 {
				what = c.Codes
			}
			notes = append(notes, strings.Join(what, ", "))
			if c.Since != "" {
				notes = append(notes, "since "+c.Since)
			}
		case recon.DNSBLClean:
			word, r.Level = "clean", recon.LevelGreen
		default:
			word, r.Level = "unknown", recon.LevelYellow
			notes = append(notes, paren(c.Reason))
		}
		if c.Via != "" {
			notes = append(notes, "via "+c.Via)
		}
		r.Value = c.Subject + " @ " + c.Zone + ": " + word
		r.Note = joinNonEmpty(" · ", notes...)
		out = append(out, r)
	}
	for _, a := range f.ASN {
		out = append(out, recon.Row{Label: "abuse ASN", Level: recon.LevelRed,
			Value: strings.TrimSpace(fmt.Sprintf("AS%d %s", a.ASN, a.Org)), Note: joinNonEmpty(" ", paren(a.IP), "on "+a.Source)})
	}
	for _, k := range f.Keyed {
		r := recon.Row{Label: k.Source, Note: k.Detail}
		switch {
		case k.Status != recon.StatusOK:
			// The source's text may repeat the status: say it once.
			r.Value, r.Level = string(k.Status), recon.LevelInfo
			r.Note = strings.TrimPrefix(k.Detail, string(k.Status)+": ")
			if k.Status == recon.StatusError || k.Status == recon.StatusRateLimited {
				r.Level = recon.LevelYellow
			}
		case k.Malicious:
			r.Value, r.Level = "malicious", recon.LevelRed
		case strings.HasSuffix(k.Detail, "no record"):
			// Not known to the source is not "clean".
			r.Value, r.Level = "not known", recon.LevelInfo
		default:
			r.Value, r.Level = "clean", recon.LevelGreen
		}
		out = append(out, r)
	}
	if len(f.Checks)+len(f.ASN)+len(f.Keyed) == 0 {
		out = append(out, info("", "no checks ran"))
	}
	return out
}
