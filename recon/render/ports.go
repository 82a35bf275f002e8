package render

import (
	"fmt"
	"strconv"

	"github.com/netspecter/netspecter-tui/recon"
)

// Ports describes what InternetDB knows of each address: the address (a
// CDN edge says so), then its open ports, known CVEs (red), CPEs, tags
// and host names; InternetDB having nothing is a result, said so.
func Ports(f *recon.PortsFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(label string, list []string, lvl recon.Level) {
		if len(list) > 0 {
			out = append(out, recon.Row{Label: label, List: list, Level: lvl})
		}
	}
	for _, h := range f.Hosts {
		r := recon.Row{Label: "address", Value: h.IP}
		if h.CDN != "" {
			r.Note = "(" + h.CDN + " edge: these ports are the CDN's, not the origin's)"
		}
		out = append(out, r)
		if h.NoData {
			out = append(out, info("ports", "InternetDB has no data on this address"))
			continue
		}
		ports := make([]string, len(h.Ports))
		for i, p := range h.Ports {
			ports[i] = strconv.Itoa(p)
		}
		if len(ports) == 0 {
			out = append(out, info("ports", "none known"))
		}
		add("ports", ports, recon.LevelNone)
		add(fmt.Sprintf("CVEs (%d)", len(h.Vulns)), h.Vulns, recon.LevelRed)
		add("CPEs", h.CPEs, recon.LevelNone)
		add("tags", h.Tags, recon.LevelNone)
		add("hostnames", h.Hostnames, recon.LevelNone)
	}
	if len(f.Hosts) == 0 {
		out = append(out, info("", "no addresses checked"))
	}
	return out
}
