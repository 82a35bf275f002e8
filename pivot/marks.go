package pivot

import (
	"sort"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// ClusterMark is an analyst's false-positive mark on one cluster link of
// one domain: Shared is the link it drops (a Shared string such as
// "ip:185.220.101.47", or a key kind such as "registrar"), "" when the
// domain is kept out of every cluster.
type ClusterMark struct {
	Domain string // the marked domain (lower case)
	Shared string
	Why    string
	Rule   string // the false-positive rule id ("cluster:ip:…")
}

// ClusterMarksOf returns the cluster marks of entity e, sorted by link.
func ClusterMarksOf(e *Entity) []ClusterMark {
	if e == nil || len(e.FalsePositives) == 0 {
		return nil
	}
	d := strings.ToLower(e.Value)
	if e.Kind == recon.PivotEmail {
		if i := strings.LastIndexByte(d, '@'); i >= 0 {
			d = d[i+1:]
		}
	}
	var out []ClusterMark
	for rule, why := range e.FalsePositives {
		if rule == FPCluster {
			out = append(out, ClusterMark{Domain: d, Why: why, Rule: rule})
		} else if sh, ok := strings.CutPrefix(rule, FPCluster+":"); ok {
			out = append(out, ClusterMark{Domain: d, Shared: sh, Why: why, Rule: rule})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Shared < out[j].Shared })
	return out
}

// ClusterMarks returns the marks the session's domains put on links of
// cluster c: those of its members, and those of domains that a mark took
// out of it (they would share one of its links otherwise). Sorted by
// domain, then link.
func (s *Session) ClusterMarks(c Cluster) []ClusterMark {
	members := map[string]bool{}
	for _, m := range c.Members {
		members[strings.ToLower(m)] = true
	}
	shared := map[string]bool{}
	for _, sh := range c.Shared {
		shared[sh] = true
	}
	var out []ClusterMark
	for _, e := range s.Entities() {
		for _, m := range ClusterMarksOf(e) {
			if members[m.Domain] || shared[m.Shared] {
				out = append(out, m)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// MarksOn returns the marks of ms that concern Shared string sh: marks of
// that very link and marks of its whole kind ("registrar").
func MarksOn(ms []ClusterMark, sh string) []ClusterMark {
	var out []ClusterMark
	for _, m := range ms {
		if m.Shared != "" && (m.Shared == sh || m.Shared == SharedKind(sh)) {
			out = append(out, m)
		}
	}
	return out
}

// UnmarkFalsePositive takes back the false-positive mark rule of the
// node's entity (the undo of MarkFalsePositive). It reports whether there
// was such a mark.
func (s *Session) UnmarkFalsePositive(nodeID, rule string, at time.Time) bool {
	n := s.nodes[nodeID]
	if n == nil {
		return false
	}
	if _, ok := n.Entity.FalsePositives[rule]; !ok {
		return false
	}
	e := s.ownEntity(n.Entity)
	delete(e.FalsePositives, rule)
	if len(e.FalsePositives) == 0 {
		e.FalsePositives = nil
	}
	s.Updated = at
	s.rev++
	return true
}
