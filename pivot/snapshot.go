package pivot

import (
	"maps"
	"slices"
)

// Snapshot returns a copy of the session that shares nothing the session
// can still change: another goroutine may read it (save, export) while the
// owner goes on changing the session. It is the one way to hand a session
// to a reader on another goroutine (see the Session doc comment).
//
// The copy is cheap because a report is never changed once attached
// (Attach, Changed and a merge of module runs all attach a new report): the
// snapshot shares the *recon.Report pointers and every string, and copies
// the nodes, the entities and the slices and maps the session changes in
// place (children, roots, notes, tags, false positives, history) into a few
// large allocations. The clusters are shared when they are up to date (a
// cache is never changed once built); the other caches are rebuilt by the
// snapshot when it needs them.
//
// Call it from the goroutine that owns the session, or under s.Lock while
// several goroutines change it. It does not write to s.
func (s *Session) Snapshot() *Session {
	out := &Session{
		Created: s.Created,
		Updated: s.Updated,
		Window:  s.Window,
		nextID:  s.nextID,
		rev:     s.rev,
		scans:   s.scans,
		entSeq:  s.entSeq,
		order:   slices.Clone(s.order),
		roots:   slices.Clone(s.roots),
	}
	if c := s.clusters; c != nil && c.rev == s.rev {
		out.clusters = c
	}
	// One slab each for the nodes, the entities and their small slices:
	// a 92k-node session makes a handful of allocations, not 200,000. An
	// entity's place in its slab is its seq (dense: 0 … entSeq-1), which
	// spares a look-up per node.
	ents := make([]Entity, s.entSeq)
	var nNotes, nTags, nPast int
	for _, e := range s.entities {
		nNotes += len(e.Notes)
		nTags += len(e.Tags)
		nPast += len(e.History)
	}
	notes := make([]Note, 0, nNotes)
	tags := make([]string, 0, nTags)
	past := make([]Past, 0, nPast)
	out.entities = make(map[EntityKey]*Entity, len(s.entities))
	for k, src := range s.entities {
		e := &ents[src.seq]
		*e = *src
		if len(e.Notes) > 0 {
			notes = append(notes, e.Notes...)
			e.Notes = slices.Clip(notes[len(notes)-len(e.Notes):])
		}
		if len(e.Tags) > 0 {
			tags = append(tags, e.Tags...)
			e.Tags = slices.Clip(tags[len(tags)-len(e.Tags):])
		}
		if len(e.History) > 0 {
			past = append(past, e.History...)
			e.History = slices.Clip(past[len(past)-len(e.History):])
		}
		if e.FalsePositives != nil {
			e.FalsePositives = maps.Clone(e.FalsePositives)
		}
		out.entities[k] = e
	}
	nodes := make([]Node, len(s.nodes))
	// Every node but a root is the child of one node.
	children := make([]string, 0, len(s.nodes)-len(s.roots))
	out.nodes = make(map[string]*Node, len(s.nodes))
	i := 0
	for id, src := range s.nodes {
		n := &nodes[i]
		i++
		*n = *src
		if len(src.Children) > 0 {
			children = append(children, src.Children...)
			n.Children = slices.Clip(children[len(children)-len(src.Children):])
		}
		n.Entity = &ents[src.Entity.seq]
		out.nodes[id] = n
	}
	return out
}
