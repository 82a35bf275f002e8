package export

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// edge is one deduplicated parent→child relation between two entities.
type edge struct {
	From, To *pivot.Entity
	Relation string
}

// graph is the entity graph of a session: one vertex per entity, edges
// deduplicated by (from, to, relation), both in session order.
type graph struct {
	Entities []*pivot.Entity
	Edges    []edge
	index    map[pivot.EntityKey]int
}

func buildGraph(s *pivot.Session) *graph {
	g := &graph{Entities: s.Entities(), index: map[pivot.EntityKey]int{}}
	for i, e := range g.Entities {
		g.index[e.Key] = i
	}
	seen := map[string]bool{}
	for _, id := range s.NodeIDs() {
		n := s.Node(id)
		if n == nil || n.Parent == "" || n.Entity == nil {
			continue
		}
		p := s.Node(n.Parent)
		if p == nil || p.Entity == nil || p.Entity.Key == n.Entity.Key {
			continue
		}
		k := string(p.Entity.Key) + "\x00" + string(n.Entity.Key) + "\x00" + n.Relation
		if seen[k] {
			continue
		}
		seen[k] = true
		g.Edges = append(g.Edges, edge{From: p.Entity, To: n.Entity, Relation: n.Relation})
	}
	return g
}

// entityByValue finds the entity a cluster member names: a domain first,
// then any kind with that value.
func entityByValue(s *pivot.Session, value string) *pivot.Entity {
	if e := s.Entity(pivot.KeyOf(recon.PivotDomain, value)); e != nil {
		return e
	}
	v := strings.ToLower(value)
	for _, e := range s.Entities() {
		if strings.ToLower(e.Value) == v {
			return e
		}
	}
	return nil
}

// isFalsePositive reports whether the analyst marked signal g of e.
func isFalsePositive(e *pivot.Entity, g recon.Signal) bool {
	if len(e.FalsePositives) == 0 {
		return false
	}
	_, a := e.FalsePositives[g.Rule]
	_, b := e.FalsePositives[g.Rule+":"+g.Text]
	return a || b
}

// signals returns e's assessment signals that are not false positives.
func signals(e *pivot.Entity) []recon.Signal {
	if e.Scan == nil {
		return nil
	}
	var out []recon.Signal
	for _, g := range e.Scan.Assessment.Signals {
		if !isFalsePositive(e, g) {
			out = append(out, g)
		}
	}
	return out
}

func isDomainKind(k recon.PivotKind) bool {
	return k == recon.PivotDomain || k == recon.PivotSubdomain
}

// profile is what one scanned domain looks like along the seed's
// "build the picture" dimensions.
type profile struct {
	E         *pivot.Entity
	Domain    string
	IPs       []string
	Nets      []string // /24 (IPv4) or /48 (IPv6) of each address
	ASNs      []string // "AS205100 Org"
	Country   []string
	Registrar string
	Privacy   bool
	Created   *time.Time
	Expires   *time.Time
	NS        []string // sorted, lower case, no trailing dot
	Certs     []recon.CertFacts
	SANs      []string
	Posture   string
	Spoof     string
	SubTotal  int
	SubSource string
	SubOK     bool
	Threat    []string
	ThreatRun bool
	At        time.Time
}

func scannedDomains(s *pivot.Session) []*profile {
	var out []*profile
	for _, e := range s.Entities() {
		if e.Scan == nil || !isDomainKind(e.Kind) {
			continue
		}
		p := profileOf(e)
		// Listings of the domain's addresses found by scanning them as IPs.
		for _, ip := range p.IPs {
			ie := s.Entity(pivot.KeyOf(recon.PivotIP, ip))
			if ie == nil || ie.Scan == nil {
				continue
			}
			if t := recon.FactsOf[recon.ThreatFacts](ie.Scan, "threat"); t != nil {
				p.ThreatRun = true
				for _, h := range threatHits(t) {
					p.Threat = appendUniq(p.Threat, h)
				}
			}
		}
		out = append(out, p)
	}
	return out
}

func profileOf(e *pivot.Entity) *profile {
	r := e.Scan
	p := &profile{E: e, Domain: e.Value, At: e.ScannedAt}
	if d := recon.FactsOf[recon.DNSFacts](r, "dns"); d != nil {
		p.IPs = append(append(p.IPs, d.A...), d.AAAA...)
		p.NS = normNS(d.NS)
	}
	for _, ip := range p.IPs {
		if n := netOf(ip); n != "" {
			p.Nets = appendUniq(p.Nets, n)
		}
	}
	if g := recon.FactsOf[recon.GeoFacts](r, "geoip"); g != nil {
		for _, x := range g.IPs {
			if x.ASN != 0 {
				p.ASNs = appendUniq(p.ASNs, strings.TrimSpace(fmt.Sprintf("AS%d %s", x.ASN, x.ASOrg)))
			}
			if x.CountryCode != "" || x.Country != "" {
				p.Country = appendUniq(p.Country, firstNonEmpty(x.CountryCode, x.Country))
			}
		}
	}
	if w := recon.FactsOf[recon.WhoisFacts](r, "whois"); w != nil {
		p.Registrar = w.Registrar
		p.Privacy = w.Privacy
		p.Created = w.Created
		p.Expires = w.Expires
		if len(p.NS) == 0 {
			p.NS = normNS(w.NameServers)
		}
	}
	if sf := recon.FactsOf[recon.SSLFacts](r, "ssl"); sf != nil {
		seen := map[string]bool{}
		for _, c := range sf.Certs {
			if seen[c.SHA256] {
				continue
			}
			seen[c.SHA256] = true
			p.Certs = append(p.Certs, c)
			for _, n := range c.SANs {
				p.SANs = appendUniq(p.SANs, n)
			}
		}
	}
	if m := recon.FactsOf[recon.EmailFacts](r, "email"); m != nil {
		p.Posture = m.Posture
		p.Spoof = m.SpoofReason
	}
	if sd := recon.FactsOf[recon.SubdomainFacts](r, "subdomains"); sd != nil && r.OK("subdomains") {
		p.SubOK = true
		p.SubTotal = sd.Total
		if p.SubTotal < len(sd.Names) {
			p.SubTotal = len(sd.Names)
		}
		p.SubSource = sd.Source
	}
	if t := recon.FactsOf[recon.ThreatFacts](r, "threat"); t != nil {
		p.ThreatRun = true
		p.Threat = threatHits(t)
	}
	return p
}

func threatHits(t *recon.ThreatFacts) []string {
	var out []string
	for _, c := range t.Checks {
		if c.Result != recon.DNSBLListed {
			continue
		}
		what := strings.Join(c.Meanings, ", ")
		if what == "" {
			what = strings.Join(c.Codes, ", ")
		}
		h := c.Subject + " listed on " + c.Zone
		if what != "" {
			h += " (" + what + ")"
		}
		if c.Since != "" {
			h += " since " + c.Since
		}
		if c.Policy {
			h += " [policy listing]"
		}
		out = append(out, h)
	}
	for _, a := range t.ASN {
		out = append(out, fmt.Sprintf("AS%d %s on %s", a.ASN, a.Org, a.Source))
	}
	for _, k := range t.Keyed {
		if k.Malicious {
			out = append(out, k.Source+": "+k.Detail)
		}
	}
	return out
}

func normNS(in []string) []string {
	var out []string
	for _, n := range in {
		n = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(n)), ".")
		if n != "" {
			out = appendUniq(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// netOf returns the /24 of an IPv4 address or the /48 of an IPv6 one.
func netOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	bits := 24
	if !a.Unmap().Is4() {
		bits = 48
	}
	pfx, err := a.Unmap().Prefix(bits)
	if err != nil {
		return ""
	}
	return pfx.String()
}

func appendUniq(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// parseASN reads "AS205100", "as205100" or "205100".
func parseASN(v string) (uint64, bool) {
	v = strings.TrimSpace(v)
	if len(v) > 2 && strings.EqualFold(v[:2], "as") {
		v = v[2:]
	}
	if i := strings.IndexAny(v, " \t"); i >= 0 {
		v = v[:i]
	}
	n, err := strconv.ParseUint(v, 10, 32)
	return n, err == nil
}

func shortFP(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func levelWord(l recon.Level) string {
	if l == recon.LevelNone {
		return "not scanned"
	}
	return string(l)
}
