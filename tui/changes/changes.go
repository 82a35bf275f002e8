// Package changes is the workbench's changes view: what the last rescan
// changed (a pivot/diff Result), one line per change, enter jumps to the
// entity's node; and the marks the tree draws beside changed, new and gone
// nodes.
package changes

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/pivot/diff"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Kind is how a node changed in the last rescan.
type Kind int

// The change kinds, each with its own glyph so that they read without colour.
const (
	KindNone    Kind = iota
	KindChanged      // Δ: facts or verdict of its entity changed
	KindNew          // +: found by the rescan, not there before
	KindGone         // −: no longer found where it was
	KindUnread       // ?: could not be compared (only in the list)
)

// Glyph returns the symbol of a kind.
func (k Kind) Glyph() string {
	switch k {
	case KindChanged:
		return "Δ"
	case KindNew:
		return "+"
	case KindGone:
		return "−"
	case KindUnread:
		return "?"
	}
	return " "
}

// Styles colour the glyphs (changed yellow, new green, gone red); built once.
type Styles map[Kind]lipgloss.Style

// DefaultStyles returns the glyph colours.
func DefaultStyles() Styles {
	return Styles{
		KindChanged: lipgloss.NewStyle().Foreground(styles.Yellow).Bold(true),
		KindNew:     lipgloss.NewStyle().Foreground(styles.Green).Bold(true),
		KindGone:    lipgloss.NewStyle().Foreground(styles.Red).Bold(true),
		KindUnread:  lipgloss.NewStyle().Faint(true),
	}
}

// Marks returns, by node id of s, how each node changed between the
// session as of before and now: KindNew for a node the current reports reach
// and the earlier ones did not, KindGone for the reverse (the node stays in the
// tree), KindChanged for a node whose entity's facts or verdict changed in r.
func Marks(s *pivot.Session, before time.Time, r *diff.Result) map[string]Kind {
	if r == nil {
		return nil
	}
	old, now := s.AsOf(before), s.Current()
	changed := map[pivot.EntityKey]bool{}
	for _, c := range r.Changed {
		changed[pivot.KeyOf(c.Kind, c.Entity)] = true
	}
	for _, v := range r.Verdicts {
		changed[pivot.KeyOf(v.Kind, v.Entity)] = true
	}
	out := map[string]Kind{}
	for _, id := range s.NodeIDs() {
		inOld, inNow := old.Node(id) != nil, now.Node(id) != nil
		switch {
		case inNow && !inOld:
			out[id] = KindNew
		case inOld && !inNow:
			out[id] = KindGone
		case inNow && changed[s.Node(id).Entity.Key]:
			out[id] = KindChanged
		}
	}
	return out
}

// KeyMap are the view's keys: the tree's moves (home alone for the top)
// and enter or g to go to the node.
type KeyMap = listnav.KeyMap

// DefaultKeyMap returns the view's keys.
func DefaultKeyMap() KeyMap {
	return listnav.NewKeyMap(key.NewBinding(key.WithKeys("enter", "g"), key.WithHelp("enter/g", "go to the changed node")))
}

type line struct {
	kind Kind
	text string          // sanitised, plain
	key  pivot.EntityKey // "" for a heading
}

// Model is the changes view.
type Model struct {
	Keys   KeyMap
	st     *styles.Styles
	glyph  Styles
	lines  []line
	list   listnav.List // rows: the lines with an entity
	width  int
	height int
	count  int
	head   string
	intro  bool // no rescan yet: the lines are intro, wrapped
}

// New returns an empty view.
func New(st *styles.Styles) Model {
	m := Model{Keys: DefaultKeyMap(), st: st, glyph: DefaultStyles()}
	m.SetResult(nil, time.Time{})
	return m
}

// SetSize sets the size of the list in cells.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetHeight(max(h-1, 0)) // under the heading
	if m.intro {
		m.wrapIntro()
	}
	m.list.Follow()
}

// intro says what R does, shown before any rescan.
const intro = "Press R to scan every scanned entity again; what changed is listed here and marked in the tree: Δ changed · + new · − gone."

// wrapIntro sets the lines to intro, a clause a line, each wrapped to the
// width (a row's gutter and glyph take 4 cells, and one is kept free).
func (m *Model) wrapIntro() {
	text := strings.ReplaceAll(strings.ReplaceAll(intro, "; ", ";\n"), ": ", ":\n")
	m.lines = nil
	for _, l := range strings.Split(ansi.Wordwrap(text, max(m.width-5, 10), ""), "\n") {
		m.lines = append(m.lines, line{text: l})
	}
	m.list.SetRows(nil, len(m.lines))
}

// Count returns the number of changes shown.
func (m Model) Count() int { return m.count }

// SetResult shows r, the changes since before; nil: no rescan yet.
func (m *Model) SetResult(r *diff.Result, before time.Time) {
	m.lines = nil
	var sel []int
	m.count = 0
	m.intro = r == nil
	if r == nil {
		m.head = "No rescan yet."
		m.wrapIntro()
		m.list.SetCursor(0)
		m.list.Follow()
		return
	}
	m.count = r.Count()
	m.head = "Since " + before.Local().Format("2006-01-02 15:04") + ": " + r.Summary()
	l := sanitize.Line
	add := func(k Kind, key pivot.EntityKey, text string) {
		if key != "" {
			sel = append(sel, len(m.lines))
		}
		m.lines = append(m.lines, line{kind: k, text: text, key: key})
	}
	for _, v := range r.Verdicts {
		add(KindChanged, pivot.KeyOf(v.Kind, v.Entity), fmt.Sprintf("%s  verdict %s → %s  %s", l(v.Entity), v.Old, v.New, l(v.Why)))
	}
	for _, c := range r.Changed {
		add(KindChanged, pivot.KeyOf(c.Kind, c.Entity), fmt.Sprintf("%s  %s %s: %s", l(c.Entity), c.Module, c.Field, c.Delta()))
	}
	for _, e := range r.Added {
		add(KindNew, pivot.KeyOf(e.Kind, e.Value), fmt.Sprintf("%s  %s%s", l(e.Value), rel(e), verdict(e.Verdict)))
	}
	for _, e := range r.Removed {
		add(KindGone, pivot.KeyOf(e.Kind, e.Value), fmt.Sprintf("%s  %s, no longer found", l(e.Value), rel(e)))
	}
	cl := r.Clusters
	member := func(ms []string) pivot.EntityKey {
		if len(ms) == 0 {
			return ""
		}
		return pivot.KeyOf(recon.PivotDomain, ms[0])
	}
	join := func(ms []string) string { return l(strings.Join(ms, ", ")) }
	for _, c := range cl.Formed {
		add(KindNew, member(c.Members), "cluster formed: "+join(c.Members))
	}
	for _, c := range cl.Gone {
		add(KindGone, member(c.Members), "cluster gone: "+join(c.Members))
	}
	for _, c := range cl.Grown {
		add(KindChanged, member(c.Joined), "cluster grown: "+join(c.Joined)+" joined "+join(c.Old.Members))
	}
	for _, c := range cl.Shrunk {
		add(KindChanged, member(c.Left), "cluster shrunk: "+join(c.Left)+" left "+join(c.New.Members))
	}
	for _, c := range cl.Changed {
		add(KindChanged, member(c.New.Members), fmt.Sprintf("cluster %s shares +%d −%d", join(c.New.Members), len(c.SharedAdded), len(c.SharedRemoved)))
	}
	for _, c := range cl.Split {
		add(KindChanged, member(c.Old[0].Members), fmt.Sprintf("cluster split in %d: %s", len(c.New), join(c.Old[0].Members)))
	}
	for _, c := range cl.Merged {
		add(KindChanged, member(c.New[0].Members), "clusters merged: "+join(c.New[0].Members))
	}
	for _, u := range r.Unchecked {
		field := strings.TrimSpace(u.Module + " " + u.Field)
		add(KindUnread, pivot.KeyOf(u.Kind, u.Entity), fmt.Sprintf("%s  %s not compared (%s: %s)", l(u.Entity), field, u.Side, l(u.Why)))
	}
	if len(m.lines) == 0 {
		m.lines = []line{{text: "Nothing changed."}}
	}
	m.list.SetRows(sel, len(m.lines))
	m.list.Follow()
}

func rel(e diff.Entity) string {
	if e.Parent == "" {
		return "root"
	}
	return sanitize.Line(e.Relation) + " of " + sanitize.Line(e.Parent)
}

func verdict(l recon.Level) string {
	if g := l.Mark(); g != "" {
		return "  " + g
	}
	return ""
}

// Selected returns the entity under the cursor, or "".
func (m *Model) Selected() pivot.EntityKey {
	if li := m.list.Line(); li >= 0 {
		return m.lines[li].key
	}
	return ""
}

// Update moves the cursor; enter returns the entity to jump to.
func (m Model) Update(msg tea.Msg) (Model, pivot.EntityKey) {
	if m.list.Update(msg, m.Keys) {
		return m, m.Selected()
	}
	m.list.Follow()
	return m, ""
}

// View renders the heading and the visible lines, each exactly width wide.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	head := " " + ansi.Truncate(m.head, m.width-2, "…")
	b.WriteString(m.st.Dim.Render(head + strings.Repeat(" ", max(m.width-ansi.StringWidth(head), 0))))
	m.list.Draw(&b, m.width, func(li int, cur bool) string {
		ln := m.lines[li]
		g := ln.kind.Glyph()
		if st, ok := m.glyph[ln.kind]; ok && !cur {
			g = st.Render(g)
		}
		return listnav.Row(g+" "+ln.text, 2, m.width, cur, m.st.Selected)
	})
	return b.String()
}
