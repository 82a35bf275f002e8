package compare

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Profile is what one scanned domain looks like along the pivot attributes.
type Profile struct {
	Domain    string          // lower case, no trailing dot
	Entity    pivot.EntityKey // the entity whose scan supplied the facts
	IPs       []string        // A and AAAA, in record order
	Nets      []string        // /24 (IPv4) or /48 (IPv6) of each address
	ASNs      []string        // "AS205100"
	ASOrgs    map[string]string
	Registrar string
	NS        []string // sorted set, lower case, no trailing dot
	Certs     []string // SHA-256 of each leaf seen, lower-case hex
	Created   *time.Time
	// FirstIssuance is the earliest certificate Certificate Transparency
	// knows for the domain.
	FirstIssuance *time.Time
	Posture       string // EmailFacts.Posture, whitespace-normalised
	Verdict       recon.Level
}

// Profiles returns one profile per scanned domain of s (entities of kind
// domain, subdomain or e-mail address — an address stands for its domain —
// that have a scan), in session order; the first entity of a domain wins,
// as in pivot's clusters.
func Profiles(s *pivot.Session) []Profile {
	var out []Profile
	seen := map[string]bool{}
	for _, e := range s.Entities() {
		if e.Scan == nil {
			continue
		}
		if e.Kind != recon.PivotDomain && e.Kind != recon.PivotSubdomain && e.Kind != recon.PivotEmail {
			continue
		}
		d := strings.ToLower(e.Value)
		if e.Kind == recon.PivotEmail {
			if i := strings.LastIndexByte(d, '@'); i >= 0 {
				d = d[i+1:]
			}
		}
		d = strings.TrimSuffix(d, ".")
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		p := ProfileOf(e.Scan)
		p.Domain, p.Entity, p.Verdict = d, e.Key, e.Verdict()
		out = append(out, p)
	}
	return out
}

// ProfileOf extracts a profile from one report (Domain, Entity and Verdict
// are left for the caller).
func ProfileOf(r *recon.Report) Profile {
	var p Profile
	add := func(list []string, v string) []string {
		if v == "" || slices.Contains(list, v) {
			return list
		}
		return append(list, v)
	}
	if d := recon.FactsOf[recon.DNSFacts](r, "dns"); d != nil {
		for _, a := range append(slices.Clone(d.A), d.AAAA...) {
			if ip, err := netip.ParseAddr(strings.TrimSpace(a)); err == nil {
				p.IPs = add(p.IPs, ip.Unmap().WithZone("").String())
			}
		}
		p.NS = normNS(d.NS)
	}
	for _, ip := range p.IPs {
		p.Nets = add(p.Nets, netOf(ip))
	}
	if g := recon.FactsOf[recon.GeoFacts](r, "geoip"); g != nil {
		for _, x := range g.IPs {
			if x.ASN == 0 {
				continue
			}
			as := fmt.Sprintf("AS%d", x.ASN)
			p.ASNs = add(p.ASNs, as)
			if x.ASOrg != "" {
				if p.ASOrgs == nil {
					p.ASOrgs = map[string]string{}
				}
				p.ASOrgs[as] = x.ASOrg
			}
		}
	}
	if w := recon.FactsOf[recon.WhoisFacts](r, "whois"); w != nil {
		p.Registrar = strings.Join(strings.Fields(w.Registrar), " ")
		if w.Created != nil && !w.Created.IsZero() {
			t := w.Created.UTC()
			p.Created = &t
		}
		if len(p.NS) == 0 {
			p.NS = normNS(w.NameServers)
		}
	}
	if s := recon.FactsOf[recon.SSLFacts](r, "ssl"); s != nil {
		for _, c := range s.Certs {
			p.Certs = add(p.Certs, strings.ToLower(strings.TrimSpace(c.SHA256)))
		}
	}
	if m := recon.FactsOf[recon.EmailFacts](r, "email"); m != nil {
		p.Posture = strings.Join(strings.Fields(m.Posture), " ")
	}
	if sd := recon.FactsOf[recon.SubdomainFacts](r, "subdomains"); sd != nil && sd.FirstIssuance != nil && !sd.FirstIssuance.IsZero() {
		t := sd.FirstIssuance.UTC()
		p.FirstIssuance = &t
	}
	return p
}

func normNS(in []string) []string {
	var out []string
	for _, n := range in {
		n = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(n)), ".")
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// netOf returns the /24 of an IPv4 address or the /48 of an IPv6 one.
func netOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	bits := 24
	if !a.Is4() {
		bits = 48
	}
	pfx, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return pfx.String()
}
