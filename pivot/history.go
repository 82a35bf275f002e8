package pivot

import (
	"maps"
	"slices"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// History: a rescan keeps the report it replaces, so one session file shows
// its own changes (netspecter-tui diff --since, the workbench's changes view).
//
// Bounds: an entity keeps at most MaxHistory earlier reports (the oldest is
// dropped first), and an earlier report keeps its typed facts but not the
// bulky raw evidence (the WHOIS text, the certificate PEM, the raw HTTP
// headers): the current report has them. A session of n scanned entities
// thus holds at most (MaxHistory+1)·n reports, the earlier ones smaller.

// MaxHistory is how many earlier reports an entity keeps.
const MaxHistory = 5

// Past is one earlier report of an entity and when that scan finished.
type Past struct {
	At   time.Time     `json:"at"`
	Scan *recon.Report `json:"scan"`
}

// record keeps the entity's current report in its history before rep
// replaces it. Re-attaching the same report (expanding another node of the
// entity) is not a rescan.
func (e *Entity) record(rep *recon.Report) {
	if e.Scan == nil || e.Scan == rep {
		return
	}
	e.History = append(e.History, Past{At: e.ScannedAt, Scan: withoutEvidence(e.Scan)})
	if over := len(e.History) - MaxHistory; over > 0 {
		e.History = append([]Past(nil), e.History[over:]...)
	}
}

// withoutEvidence returns a copy of r without the raw evidence of its
// facts. r itself is not modified: a renderer or a save may still read it.
func withoutEvidence(r *recon.Report) *recon.Report {
	out := *r
	out.Modules = make(map[string]*recon.ModuleResult, len(r.Modules))
	for id, m := range r.Modules {
		if m == nil {
			continue
		}
		c := *m
		switch f := m.Facts.(type) {
		case *recon.WhoisFacts:
			w := *f
			w.Raw = ""
			c.Facts = &w
		case *recon.SSLFacts:
			s := *f
			s.Certs = make([]recon.CertFacts, len(f.Certs))
			copy(s.Certs, f.Certs)
			for i := range s.Certs {
				s.Certs[i].PEM = ""
			}
			c.Facts = &s
		case *recon.HeadersFacts:
			h := *f
			h.Raw = nil
			c.Facts = &h
		}
		out.Modules[id] = &c
	}
	return &out
}

// ReportAt returns the report the entity had at time t (the last one that
// finished at or before t) and when it finished; nil when it had none yet.
func (e *Entity) ReportAt(t time.Time) (*recon.Report, time.Time) {
	if e.Scan != nil && !e.ScannedAt.After(t) {
		return e.Scan, e.ScannedAt
	}
	for i := len(e.History) - 1; i >= 0; i-- {
		if p := e.History[i]; p.Scan != nil && !p.At.After(t) {
			return p.Scan, p.At
		}
	}
	return nil, time.Time{}
}

// Rescanned reports whether the entity has an earlier report.
func (e *Entity) Rescanned() bool { return len(e.History) > 0 }

// LastRescan returns when the most recent rescan of any entity finished,
// and the latest time of a report a rescan replaced — zero times when
// nothing was rescanned. As of that second time every replaced report was
// still current, so the workbench and diff use it as "before the rescan".
func (s *Session) LastRescan() (at, before time.Time) {
	for _, e := range s.entities {
		if len(e.History) == 0 {
			continue
		}
		if e.ScannedAt.After(at) {
			at = e.ScannedAt
		}
		if p := e.History[len(e.History)-1].At; p.After(before) {
			before = p
		}
	}
	return at, before
}

// forever is later than any scan.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Current returns the session as it stands now: AsOf the end of time.
func (s *Session) Current() *Session { return s.AsOf(forever) }

// AsOf returns a new session holding the investigation as it was at time t:
// each entity carries the report it had then (ReportAt), and a node is kept
// only while it is reached — a root, or a child whose parent kept it and
// whose parent's report at t yields it as a pivot. So AsOf(now) leaves out
// what a rescan no longer finds (a moved IP's old address), and AsOf(before)
// leaves out what only a later scan found. Node ids, relations, notes, tags
// and false positives are kept; the result has no history. Like every
// read, it is made by the session's owner (or under its Lock).
func (s *Session) AsOf(t time.Time) *Session {
	out := NewSession(s.Created)
	out.Updated = s.Updated
	out.Window = s.Window
	out.nextID = s.nextID
	at := func(e *Entity) *recon.Report {
		r, _ := e.ReportAt(t)
		return r
	}
	// yields caches, per parent node, the entity keys its report pivots to.
	yields := map[string]map[EntityKey]bool{}
	for _, id := range s.order {
		n := s.nodes[id]
		if n.Parent != "" {
			par := out.nodes[n.Parent]
			if par == nil {
				continue
			}
			ys, ok := yields[par.ID]
			if !ok {
				ys = map[EntityKey]bool{}
				if r := at(s.nodes[par.ID].Entity); r != nil {
					for _, p := range r.Pivots() {
						ys[KeyOf(p.Kind, p.Value)] = true
					}
				}
				yields[par.ID] = ys
			}
			if !ys[n.Entity.Key] {
				continue
			}
		}
		e := out.entities[n.Entity.Key]
		if e == nil {
			src := n.Entity
			e = &Entity{Key: src.Key, Kind: src.Kind, Value: src.Value, seq: out.entSeq,
				Notes: slices.Clone(src.Notes), Tags: slices.Clone(src.Tags), FalsePositives: maps.Clone(src.FalsePositives)}
			e.Scan, e.ScannedAt = src.ReportAt(t)
			if e.Scan != nil {
				e.State = StateDone
			} else if src.Scan == nil {
				e.State, e.Err = savedState(src)
			}
			out.entSeq++
			out.entities[e.Key] = e
		}
		c := &Node{ID: n.ID, Kind: n.Kind, Value: n.Value, Parent: n.Parent, Relation: n.Relation, Entity: e}
		out.nodes[c.ID] = c
		out.order = append(out.order, c.ID)
		if c.Parent == "" {
			out.roots = append(out.roots, c.ID)
		} else {
			p := out.nodes[c.Parent]
			p.Children = append(p.Children, c.ID)
		}
	}
	out.rev++
	return out
}
