package treeview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func session(kids int) (*pivot.Session, string) {
	s := pivot.NewSession(time.Unix(0, 0))
	r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "example.com"})
	for i := 0; i < kids; i++ {
		c := s.AddChild(r.ID, recon.Pivot{Kind: recon.PivotDomain, Value: fmt.Sprintf("c%d.example.com", i), Relation: recon.RelSAN})
		s.AddChild(c.ID, recon.Pivot{Kind: recon.PivotIP, Value: fmt.Sprintf("192.0.2.%d", i), Relation: recon.RelA})
	}
	return s, r.ID
}

func TestFlattenFollowsExpansion(t *testing.T) {
	s, root := session(3)
	m := New(s, styles.Default())
	m.SetSize(40, 10)
	tests := []struct {
		name string
		open []string
		want int
	}{
		{"collapsed", nil, 1},
		{"root open", []string{root}, 4},
		{"root and first child", []string{root, s.Node(root).Children[0]}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.SetSession(s)
			for _, id := range tt.open {
				m.SetOpen(id, true)
			}
			if got := len(m.Rows()); got != tt.want {
				t.Fatalf("%d rows, want %d", got, tt.want)
			}
		})
	}
}

func TestSelectOpensAncestorsAndFind(t *testing.T) {
	s, root := session(5)
	m := New(s, styles.Default())
	m.SetSize(40, 4)
	ids := m.Find("192.0.2.4")
	if len(ids) != 1 {
		t.Fatalf("find: %v", ids)
	}
	if !m.Select(ids[0]) || m.SelectedID() != ids[0] {
		t.Fatal("select failed")
	}
	if !m.Open(root) {
		t.Fatal("ancestor not opened")
	}
	// The cursor row is inside the visible window.
	if !strings.Contains(m.View(), "192.0.2.4") {
		t.Fatalf("selected row not visible:\n%s", m.View())
	}
}

func TestViewRendersOnlyWindowAtExactWidth(t *testing.T) {
	s, root := session(50)
	m := New(s, styles.Default())
	m.SetSize(36, 8)
	m.SetOpen(root, true)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines, want 8", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 36 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	if !strings.Contains(lines[7], "c49.example.com") || !strings.HasPrefix(lines[7], "›") {
		t.Errorf("last line is not the selected last row: %q", lines[7])
	}
}

func TestHostileValueIsEscaped(t *testing.T) {
	s := pivot.NewSession(time.Unix(0, 0))
	r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "example.com"})
	s.AddChild(r.ID, recon.Pivot{Kind: recon.PivotDomain, Value: "a\x1b[2Jb\u202e", Relation: "SAN\a"})
	m := New(s, styles.Default())
	m.SetSize(60, 5)
	m.SetOpen(r.ID, true)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\a\u202e") {
		t.Fatalf("control bytes in %q", v)
	}
	if !strings.Contains(v, `a\x1b[2Jb\u202e`) {
		t.Fatalf("escaped value missing: %q", v)
	}
}

// TestLabelsNeverTouchTheMark: at the width the tree has in an 80-column
// terminal, a long label is cut with a blank cell before the badge and the
// verdict mark.
func TestLabelsNeverTouchTheMark(t *testing.T) {
	s := pivot.NewSession(time.Unix(0, 0))
	r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "a-very-long-domain-name-for-the-tree.example.com"})
	c := s.AddChild(r.ID, recon.Pivot{Kind: recon.PivotDomain, Value: "another-long-subdomain-name.example.com", Relation: recon.RelSAN})
	s.SetState(c.ID, pivot.StateQueued, "")
	m := New(s, styles.Default())
	m.SetOpen(r.ID, true)
	m.SetBadges(map[pivot.EntityKey]string{r.Entity.Key: "◆1", c.Entity.Key: "◆2+"})
	for _, w := range []int{30, 32, 40} {
		m.SetSize(w, 10)
		for i, l := range strings.Split(m.View(), "\n")[1:3] {
			for _, mark := range []string{"◆", "queued"} {
				if j := strings.Index(l, mark); j > 0 && l[j-1] != ' ' {
					t.Errorf("width %d row %d: %q touches %q", w, i, l, mark)
				}
			}
			if ansi.StringWidth(l) != w {
				t.Errorf("width %d row %d is %d cells", w, i, ansi.StringWidth(l))
			}
		}
	}
}
