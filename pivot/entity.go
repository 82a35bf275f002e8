package pivot

import (
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// Split returns the kind and the value of an entity key
// ("domain:nova-parcels.com" → PivotDomain, "nova-parcels.com"); the value
// is in KeyOf's lower case. A key without a kind has an empty kind.
func (k EntityKey) Split() (recon.PivotKind, string) {
	kind, value, ok := strings.Cut(string(k), ":")
	if !ok {
		return "", string(k)
	}
	return recon.PivotKind(kind), value
}

// Busy reports whether the entity has a scan queued or running.
func (e *Entity) Busy() bool { return e.State == StateQueued || e.State == StateRunning }

// SignalFalsePositive returns the false-positive rule id that marks one
// signal: "rule:text". A mark on the rule id alone marks every signal of
// the rule.
func SignalFalsePositive(s recon.Signal) string { return s.Rule + ":" + s.Text }

// FalsePositive reports whether the analyst marked signal s of the entity
// as a false positive, and why: a mark of the signal itself
// (SignalFalsePositive) comes before a mark of its whole rule.
func (e *Entity) FalsePositive(s recon.Signal) (why string, marked bool) {
	if len(e.FalsePositives) == 0 {
		return "", false
	}
	if why, ok := e.FalsePositives[SignalFalsePositive(s)]; ok {
		return why, true
	}
	why, marked = e.FalsePositives[s.Rule]
	return why, marked
}

// NodesOfMember returns the nodes that show cluster member k: NodesOf(k)
// or, for a domain the session holds only as the domain of e-mail
// addresses (an address stands for its domain in clusters), the nodes of
// the first such address.
func (s *Session) NodesOfMember(k EntityKey) []string {
	ids := s.NodesOf(k)
	if kind, d := k.Split(); len(ids) == 0 && kind == recon.PivotDomain {
		for _, e := range s.Entities() {
			if e.Kind == recon.PivotEmail && strings.HasSuffix(strings.ToLower(e.Value), "@"+d) {
				return s.NodesOf(e.Key)
			}
		}
	}
	return ids
}
