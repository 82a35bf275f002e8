package export

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// index is what every exporter needs from a session: the entities in the
// order their first node was created (Entities) and their positions.
// Exporters use it instead of the session's per-call scans (NodesOf, a
// lookup by value), which made them O(n²).
type index struct {
	s    *pivot.Session
	ents []*pivot.Entity
	pos  map[*pivot.Entity]int32
	// byValue maps a lower-cased value to its first entity (built on first use).
	byValue map[string]*pivot.Entity
}

// checkEvery is how many loop steps an exporter makes between two checks
// of its context.
const checkEvery = 4096

func newIndex(s *pivot.Session, o Options) (*index, error) {
	if err := o.cancelled(); err != nil {
		return nil, err
	}
	ents := s.Entities()
	x := &index{s: s, ents: ents, pos: make(map[*pivot.Entity]int32, len(ents))}
	for i, e := range ents {
		x.pos[e] = int32(i)
	}
	return x, nil
}

// entityByValue finds the entity a cluster member names: a domain first,
// then the first entity of any kind with that value.
func (x *index) entityByValue(value string) *pivot.Entity {
	if e := x.s.Entity(pivot.KeyOf(recon.PivotDomain, value)); e != nil {
		return e
	}
	if x.byValue == nil {
		x.byValue = make(map[string]*pivot.Entity, len(x.ents))
		for _, e := range x.ents {
			v := strings.ToLower(e.Value)
			if _, ok := x.byValue[v]; !ok {
				x.byValue[v] = e
			}
		}
	}
	return x.byValue[strings.ToLower(value)]
}

// nodeWalk helps a walk over the nodes in order: siblings come in a row
// (the 300 SANs of a certificate), so the parent and the relation of a
// node are most often the previous node's, which it remembers instead of
// looking them up again.
type nodeWalk struct {
	s        *pivot.Session
	parentID string
	parent   *pivot.Node
	rels     map[string]int32
	rel      string
	relNum   int32
}

// parentOf returns the node with id (a node's Parent), or nil.
func (w *nodeWalk) parentOf(id string) *pivot.Node {
	if w.parent == nil || id != w.parentID {
		w.parentID, w.parent = id, w.s.Node(id)
	}
	return w.parent
}

// relation numbers the relation names in the order they first come.
func (w *nodeWalk) relation(rel string) int32 {
	if w.rels != nil && rel == w.rel {
		return w.relNum
	}
	if w.rels == nil {
		w.rels = map[string]int32{}
	}
	n, ok := w.rels[rel]
	if !ok {
		n = int32(len(w.rels))
		w.rels[rel] = n
	}
	w.rel, w.relNum = rel, n
	return n
}

// edge is one deduplicated parent→child relation between two entities.
type edge struct {
	From, To *pivot.Entity
	Relation string
}

// graph is the entity graph of a session: one vertex per entity, edges
// deduplicated by (from, to, relation), both in session order.
type graph struct {
	*index
	Entities []*pivot.Entity
	Edges    []edge
}

type edgeKey struct {
	from, to int32 // positions in index.ents
	rel      int32 // nodeWalk.relation
}

func buildGraph(s *pivot.Session, o Options) (*graph, error) {
	x, err := newIndex(s, o)
	if err != nil {
		return nil, err
	}
	g := &graph{index: x, Entities: x.ents}
	seen := map[edgeKey]struct{}{}
	walk := nodeWalk{s: s}
	for i, id := range s.NodeIDs() {
		if i%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return nil, err
			}
		}
		n := s.Node(id)
		if n == nil || n.Parent == "" || n.Entity == nil {
			continue
		}
		p := walk.parentOf(n.Parent)
		if p == nil || p.Entity == nil || p.Entity == n.Entity {
			continue
		}
		k := edgeKey{x.pos[p.Entity], x.pos[n.Entity], walk.relation(n.Relation)}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		g.Edges = append(g.Edges, edge{From: p.Entity, To: n.Entity, Relation: n.Relation})
	}
	return g, nil
}

// signals returns e's assessment signals that are not false positives.
func signals(e *pivot.Entity) []recon.Signal {
	if e.Scan == nil {
		return nil
	}
	var out []recon.Signal
	for _, g := range e.Scan.Assessment.Signals {
		if _, fp := e.FalsePositive(g); !fp {
			out = append(out, g)
		}
	}
	return out
}

func isDomainKind(k recon.PivotKind) bool {
	return k == recon.PivotDomain || k == recon.PivotSubdomain
}

// profile is what one scanned domain looks like along the seed's
// "build the picture" dimensions: pivot's Profile plus the threat listings
// of the domain and of its addresses. The report shows addresses, AS names,
// the registrar and the e-mail posture as reported (ReportedIPs, ASNames,
// ReportedRegistrar, ReportedPosture).
type profile struct {
	pivot.Profile
	Threat    []string
	ThreatRun bool
}

// scannedDomains returns a profile per scanned domain or subdomain entity
// (e-mail addresses are not domains here), in session order, each named by
// the entity's value as the analyst entered it. Ask for the session's
// Clusters first: their profiles are reused (Session.Profile).
func scannedDomains(x *index) []*profile {
	s := x.s
	var out []*profile
	for _, e := range x.ents {
		if e.Scan == nil || !isDomainKind(e.Kind) {
			continue
		}
		p := &profile{Profile: s.Profile(e)}
		p.Domain = e.Value
		if t := recon.FactsOf[recon.ThreatFacts](e.Scan, recon.ModuleThreat); t != nil {
			p.ThreatRun = true
			p.Threat = threatHits(t)
		}
		// Listings of the domain's addresses found by scanning them as IPs.
		for _, ip := range p.ReportedIPs {
			ie := s.Entity(pivot.KeyOf(recon.PivotIP, ip))
			if ie == nil || ie.Scan == nil {
				continue
			}
			if t := recon.FactsOf[recon.ThreatFacts](ie.Scan, recon.ModuleThreat); t != nil {
				p.ThreatRun = true
				for _, h := range threatHits(t) {
					p.Threat = pivot.AppendUniq(p.Threat, h)
				}
			}
		}
		out = append(out, p)
	}
	return out
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

// levelWord names a level for a reader: "not scanned", a known level, or
// "unknown" (levelName).
func levelWord(l recon.Level) string {
	if l == recon.LevelNone {
		return "not scanned"
	}
	return levelName(l)
}
