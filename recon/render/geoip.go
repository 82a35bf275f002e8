package render

import (
	"fmt"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// Geo describes each address's location and routing: the address, its
// location, autonomous system, network block (with its registry and
// allocation date) and the sources asked; then the hint on better data.
func Geo(f *recon.GeoFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(r recon.Row) { out = append(out, r) }
	for _, g := range f.IPs {
		add(recon.Row{Label: "address", Value: g.IP})
		if loc := joinNonEmpty(", ", g.City, g.Country); loc != "" || g.CountryCode != "" {
			add(recon.Row{Label: "location", Value: loc, Note: paren(g.CountryCode)})
		}
		if g.ASN != 0 {
			add(recon.Row{Label: "ASN", Value: strings.TrimSpace(fmt.Sprintf("AS%d %s", g.ASN, g.ASOrg))})
		}
		if g.Network != "" {
			alloc := ""
			if g.Allocated != "" {
				alloc = "allocated " + g.Allocated
			}
			add(recon.Row{Label: "network", Value: g.Network, Note: joinNonEmpty(" · ", g.Registry, alloc)})
		}
		if len(g.Sources) > 0 {
			add(recon.Row{Label: "sources", List: g.Sources})
		}
	}
	if len(f.IPs) == 0 {
		add(info("", "no addresses to locate"))
	}
	if f.Hint != "" {
		add(info("hint", f.Hint))
	}
	return out
}
