package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// Email describes a domain's mail posture: MX, SPF, DMARC, MTA-STS,
// TLS-RPT and whether it can be spoofed. A record that could not be read
// is "unknown — could not be read" (Unread), never "none"; an absent SPF
// or DMARC record is a red "none".
func Email(f *recon.EmailFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(r recon.Row) { out = append(out, r) }
	switch {
	case f.NullMX:
		add(recon.Row{Label: "MX", Value: "null MX (accepts no mail)"})
	case f.HasMX:
		add(recon.Row{Label: "MX", List: f.MX})
	case f.Errors["MX"] != "":
		add(info("MX", Unread))
	default:
		add(recon.Row{Label: "MX", Value: "none"})
	}
	switch {
	case f.SPF != nil:
		r := recon.Row{Label: "SPF", Value: f.SPF.Raw}
		if f.SPF.All != "" {
			lookups := Count(f.SPF.Lookups, "lookup")
			if unread := includesUnread(f); len(unread) > 0 {
				// An include that could not be read may hold more.
				lookups = "at least " + lookups + " (" + list(unread, 3) + " could not be read)"
			}
			r.Note = fmt.Sprintf("all=%s, %s", f.SPF.All, lookups)
		}
		if f.SPFCount > 1 {
			r.Level = recon.LevelYellow
			r.Note = joinNonEmpty(" · ", fmt.Sprintf("%d records: a permanent error", f.SPFCount), r.Note)
		}
		add(r)
	case f.SPFUnread():
		add(info("SPF", Unread))
	default:
		add(recon.Row{Label: "SPF", Value: "none", Level: recon.LevelRed})
	}
	switch {
	case f.DMARC != nil:
		p := "p=" + f.DMARC.Policy
		if f.DMARC.From != "" {
			p += " (from " + f.DMARC.From + ")"
		}
		add(recon.Row{Label: "DMARC", Value: p, Note: f.DMARC.Raw})
	case f.DMARCUnread():
		add(info("DMARC", Unread))
	default:
		add(recon.Row{Label: "DMARC", Value: "none", Level: recon.LevelRed})
	}
	switch {
	case f.MTASTS:
		add(recon.Row{Label: "MTA-STS", Value: "yes", Note: f.MTASTSID, Level: recon.LevelGreen})
	case f.Errors["_mta-sts TXT"] != "":
		add(info("MTA-STS", Unread))
	case f.MTASTSProblem != "":
		add(recon.Row{Label: "MTA-STS", Value: "no", Note: f.MTASTSProblem, Level: recon.LevelRed})
	default:
		add(recon.Row{Label: "MTA-STS", Value: "no", Level: recon.LevelRed})
	}
	switch {
	case f.TLSRPT:
		add(recon.Row{Label: "TLS-RPT", Value: "yes", Level: recon.LevelGreen})
	case f.Errors["_smtp._tls TXT"] != "":
		add(info("TLS-RPT", Unread))
	default:
		add(recon.Row{Label: "TLS-RPT", Value: "no", Level: recon.LevelRed})
	}
	sp := recon.Row{Label: "spoofable", Value: "no", Level: recon.LevelGreen}
	why := f.SpoofReason
	switch {
	case f.Spoofable:
		sp.Value, sp.Level = "YES", recon.LevelRed
	case f.SpoofUnknown():
		sp.Value, sp.Level = "unknown", recon.LevelInfo
		why = strings.TrimPrefix(why, "unknown: ")
	}
	if why != "" {
		sp.Note = "— " + why
	}
	add(sp)
	return out
}

// includesUnread returns the SPF includes whose records could not be read
// (the mail module's "SPF <name>" errors), sorted.
func includesUnread(f *recon.EmailFacts) []string {
	var out []string
	for k := range f.Errors {
		if name, ok := strings.CutPrefix(k, "SPF "); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
