package render

import (
	"fmt"

	"github.com/netspecter/netspecter-tui/recon"
)

// Subdomains describes what Certificate Transparency knows under a
// domain: how many names and from which source (and why a fallback was
// used), a cap (yellow: the list is not whole), the first issuance, the
// names and the certificates shared with other registrable domains.
func Subdomains(f *recon.SubdomainFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	src := ""
	if f.Source != "" {
		src = "from " + f.Source
	}
	if f.Fallback != "" {
		src = joinNonEmpty(" ", src, "(fallback: "+f.Fallback+")")
	}
	out = append(out, recon.Row{Label: "found", Value: Count(f.Total, "name"), Note: src})
	if f.Capped {
		out = append(out, recon.Row{Label: "capped", Value: fmt.Sprintf("showing the first %d", f.Cap), Level: recon.LevelYellow})
	}
	if f.FirstIssuance != nil {
		out = append(out, recon.Row{Label: "first cert", Value: day(f.FirstIssuance)})
	}
	if len(f.Names) > 0 {
		out = append(out, recon.Row{Label: "names", List: f.Names})
	}
	for _, c := range f.CoIssued {
		out = append(out, recon.Row{Label: "co-issued", List: c.Domains, More: max(c.DomainsTotal-len(c.Domains), 0),
			Note: fmt.Sprintf("(certificate %.16s…)", c.SHA256)})
	}
	return out
}
