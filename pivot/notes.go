package pivot

import (
	"strings"
	"time"
)

// EditNote replaces the text of note i of the node's entity; an empty
// text deletes the note. It reports whether there was such a note.
func (s *Session) EditNote(nodeID string, i int, text string, at time.Time) bool {
	n := s.nodes[nodeID]
	if n == nil || i < 0 || i >= len(n.Entity.Notes) {
		return false
	}
	e := s.ownEntity(n.Entity)
	if strings.TrimSpace(text) == "" {
		e.Notes = append(e.Notes[:i:i], e.Notes[i+1:]...)
		if len(e.Notes) == 0 {
			e.Notes = nil
		}
	} else {
		e.Notes[i] = Note{Text: text, At: at}
	}
	s.Updated = at
	s.rev++
	return true
}
