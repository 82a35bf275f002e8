package pivot

import (
	"strings"
	"testing"
)

// TestLoadCraftedEscapes: the crafted session testdata/sessions/escapes.json
// (escapes, bidi, invisible characters and 12 combining marks in every free
// text field, valid enums) loads, and its values are kept unchanged.
func TestLoadCraftedEscapes(t *testing.T) {
	s, err := Load("../testdata/sessions/escapes.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() < 10 {
		t.Fatalf("%d nodes", s.Len())
	}
	for _, id := range s.NodeIDs() {
		n := s.Node(id)
		if !strings.Contains(n.Value, "\x1b]52;c;") || !strings.Contains(n.ID, "\x1b]0;id\x07") {
			t.Fatalf("node %q: value %q not kept raw", n.ID, n.Value)
		}
	}
}
