package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Info is a read-only box (sources panel, evidence, help) that scrolls;
// esc, q, ? or enter close it and run OnCancel.
type Info struct {
	ID    string // what the box shows (tests and goldens name it)
	Title string
	Lines []string
	Hint  string
	// Wrap breaks lines longer than the box (raw evidence) instead of
	// cutting them.
	Wrap bool
	// Layout, when set, lays the lines out anew for the text width at
	// each View (the help's columns, the sources panel as checks land).
	Layout  func(text int) []string
	wrapped []string
	wrapW   int
	offset  int
	rows    int // body rows shown at the last Box
	Keys    KeyMap
	st      *styles.Styles
	cancel  func() tea.Cmd
}

// NewInfo returns an info box.
func NewInfo(st *styles.Styles, id, title string, lines []string) *Info {
	return &Info{ID: id, Title: title, Lines: lines, Keys: DefaultKeyMap(), st: st, rows: 10}
}

// OnCancel sets what closing the box runs.
func (p *Info) OnCancel(fn func() tea.Cmd) *Info { p.cancel = fn; return p }

// Offset is the first line shown.
func (p *Info) Offset() int { return p.offset }

// Update scrolls (keys and the mouse wheel); esc, q, ? or enter close.
func (p *Info) Update(msg tea.Msg) (bool, tea.Cmd) {
	last := max(len(p.shown())-p.rows, 0)
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.Keys.Up):
			p.offset = max(p.offset-1, 0)
		case key.Matches(k, p.Keys.Down):
			p.offset = min(p.offset+1, last)
		case key.Matches(k, p.Keys.PageUp):
			p.offset = max(p.offset-max(p.rows-1, 1), 0)
		case key.Matches(k, p.Keys.PageDown):
			p.offset = min(p.offset+max(p.rows-1, 1), last)
		case k.String() == "g" || k.String() == "home":
			p.offset = 0
		case k.String() == "G" || k.String() == "end":
			p.offset = last
		case matches(k, p.Keys.Cancel, p.Keys.Accept), k.String() == "q", k.String() == "?":
			return true, run(p.cancel)
		}
	}
	if m, ok := msg.(tea.MouseMsg); ok && m.Action == tea.MouseActionPress {
		switch m.Button {
		case tea.MouseButtonWheelUp:
			p.offset = max(p.offset-3, 0)
		case tea.MouseButtonWheelDown:
			p.offset = min(p.offset+3, last)
		}
	}
	return false, nil
}

// View draws the box.
func (p *Info) View(width, height int) string { return p.Box(width, height) }

// Footer is empty: the box says how to scroll and close it. A toast
// shows.
func (p *Info) Footer(int) (string, bool) { return "", false }

// Inline is false: the box is over the panes and scrolls with the wheel.
func (p *Info) Inline() bool { return false }

// Box renders the box within width x height cells and remembers how many
// lines it shows, so that paging moves by a screenful.
func (p *Info) Box(width, height int) string {
	if p.Layout != nil {
		p.Lines = p.Layout(TextWidth(width, 96))
		p.wrapped = nil
	}
	p.rows = BodyRows(width, height, 96, p.Hint)
	if p.Wrap && (p.wrapW != TextWidth(width, 96) || p.wrapped == nil) {
		p.wrapW = TextWidth(width, 96)
		p.wrapped = p.wrapped[:0]
		for _, l := range p.Lines {
			if ansi.StringWidth(l) <= p.wrapW {
				p.wrapped = append(p.wrapped, l)
				continue
			}
			p.wrapped = append(p.wrapped, strings.Split(ansi.Wrap(l, p.wrapW, ""), "\n")...)
		}
	}
	lines := p.shown()
	p.offset = min(p.offset, max(len(lines)-p.rows, 0))
	return frameAt(p.st, width, height, 96, p.Title, lines, p.offset, p.Hint)
}

// shown returns the lines the box shows (wrapped when Wrap is set).
func (p *Info) shown() []string {
	if p.Wrap && p.wrapped != nil {
		return p.wrapped
	}
	return p.Lines
}
