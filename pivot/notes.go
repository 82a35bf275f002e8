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
	if strings.TrimSpace(text) == "" {
		n.Entity.Notes = append(n.Entity.Notes[:i:i], n.Entity.Notes[i+1:]...)
		if len(n.Entity.Notes) == 0 {
			n.Entity.Notes = nil
		}
	} else {
		n.Entity.Notes[i] = Note{Text: text, At: at}
	}
	s.Updated = at
	s.rev++
	return true
}
