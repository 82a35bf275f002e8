package pivot

import (
	"maps"
	"slices"
)

// Snapshot returns a copy of the session that another goroutine may read
// (save, export) while the owner goes on changing the session. It is the
// one way to hand a session to a reader on another goroutine (see the
// Session doc comment). Call it from the goroutine that owns the session,
// or under s.Lock while several goroutines change it.
//
// It costs next to nothing whatever the size: the snapshot shares the
// session's nodes, entities and maps, copy-on-write. Snapshot bumps the
// session's generation; from then on each Session method that changes a
// node or an entity made before copies it first (ownNode, ownEntity), and
// the first change that needs the maps copies them (ownMaps: about 1 ms for
// 92,000 nodes). So the session's changes never reach the snapshot, and a
// change pays only for what it touches. The reports need no copying: a
// report is never changed once attached (Attach, a rescan and
// recon.MergeReports attach new ones). The order and root lists are only
// ever appended to, which a shorter snapshot of them does not see. Up-to-date
// clusters are shared too (a cache is never changed once built).
//
// A *Node or *Entity the caller holds may be replaced in the session by
// its copy when the session changes after a snapshot: look nodes up again
// (Node, Entity) after a change instead of keeping them across it.
func (s *Session) Snapshot() *Session {
	s.gen++
	s.mapsShared = true
	out := &Session{
		Created:    s.Created,
		Updated:    s.Updated,
		Window:     s.Window,
		nodes:      s.nodes,
		entities:   s.entities,
		order:      slices.Clip(s.order),
		roots:      slices.Clip(s.roots),
		nextID:     s.nextID,
		rev:        s.rev,
		scans:      s.scans,
		entSeq:     s.entSeq,
		gen:        s.gen,
		mapsShared: true,
		opening:    s.opening,
	}
	if c := s.clusters; c != nil && c.rev == s.rev {
		out.clusters = c
	}
	return out
}

// indexNode adds a new node to byEntity when the session keeps it (a
// session made with NewSession builds it on first need, a loaded one as
// it loads: building it then cost a 92k-node session 25–100 ms at its first
// change after a save).
func (s *Session) indexNode(n *Node) {
	if s.byEntity != nil {
		s.byEntity[n.Entity.Key] = append(s.byEntity[n.Entity.Key], n.ID)
	}
}

// ownMaps gives the session maps of its own before it changes them.
func (s *Session) ownMaps() {
	if s.mapsShared {
		s.nodes = maps.Clone(s.nodes)
		s.entities = maps.Clone(s.entities)
		s.mapsShared = false
	}
}

// ownNode returns n, or the copy of it that replaces it in the session
// when a snapshot shares it, ready to be changed.
func (s *Session) ownNode(n *Node) *Node {
	if n.gen == s.gen {
		return n
	}
	c := *n
	c.gen = s.gen
	c.Children = slices.Clip(c.Children) // appended to, never changed in place
	s.ownMaps()
	s.nodes[c.ID] = &c
	return &c
}

// ownEntity returns e, or the copy of it that replaces it in the session
// (and in each of the session's nodes of it) when a snapshot shares it,
// ready to be changed.
func (s *Session) ownEntity(e *Entity) *Entity {
	if e.gen == s.gen {
		return e
	}
	c := *e
	c.gen = s.gen
	c.Notes = slices.Clone(e.Notes) // EditNote changes a note in place
	c.Tags = slices.Clone(e.Tags)
	c.History = slices.Clone(e.History)
	c.FalsePositives = maps.Clone(e.FalsePositives)
	s.ownMaps()
	s.entities[c.Key] = &c // the incremental cluster state holds keys: nothing to tell it
	if s.byEntity == nil {
		// Once per session (newNode keeps it up to date); the order of
		// each list does not matter.
		s.byEntity = make(map[EntityKey][]string, len(s.entities))
		for id, n := range s.nodes {
			s.byEntity[n.Entity.Key] = append(s.byEntity[n.Entity.Key], id)
		}
	}
	for _, id := range s.byEntity[c.Key] {
		s.ownNode(s.nodes[id]).Entity = &c
	}
	return &c
}
