package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Timeline glyphs.
const (
	GlyphRegistered = "●"
	GlyphFirstCT    = "◇"
)

// TimelineKeyMap are the timeline's keys: the tree's moves (home alone for
// the top) and g or enter to go to the node.
type TimelineKeyMap = listnav.KeyMap

// DefaultTimelineKeyMap returns the timeline's keys.
func DefaultTimelineKeyMap() TimelineKeyMap {
	return listnav.NewKeyMap(key.NewBinding(key.WithKeys("g", "enter"), key.WithHelp("g/enter", "go to node")))
}

// WindowCluster is a registration-window cluster: the members of a pivot
// cluster whose creation dates lie in its window: shared key.
type WindowCluster struct {
	Index    int // into the session's clusters (◆Index+1)
	From, To time.Time
	Members  []string
}

// WindowClusters reads the window: keys of cs and, for each, the profiles
// created inside that window.
func WindowClusters(cs []pivot.Cluster, ps []Profile) []WindowCluster {
	var out []WindowCluster
	for i, c := range cs {
		for _, sh := range c.Shared {
			v, ok := strings.CutPrefix(sh, "window:")
			if !ok {
				continue
			}
			a, b, _ := strings.Cut(v, "..")
			from, err1 := time.Parse(time.DateOnly, a)
			to, err2 := time.Parse(time.DateOnly, b)
			if err1 != nil || err2 != nil {
				continue
			}
			w := WindowCluster{Index: i, From: from, To: to}
			for _, p := range ps {
				if p.Created == nil || !slices.Contains(c.Members, p.Domain) {
					continue
				}
				if d := dayOf(*p.Created); d >= dayOf(from) && d <= dayOf(to) {
					w.Members = append(w.Members, p.Domain)
				}
			}
			if len(w.Members) >= 2 {
				out = append(out, w)
			}
		}
	}
	return out
}

// Timeline draws the scanned domains on a time axis.
type Timeline struct {
	Keys    TimelineKeyMap
	st      *styles.Styles
	rows    []Profile // dated, in date order
	undated []string
	windows []WindowCluster
	list    listnav.List // one line a dated row
	width   int
	height  int
}

// NewTimeline returns an empty timeline.
func NewTimeline(st *styles.Styles) Timeline {
	return Timeline{Keys: DefaultTimelineKeyMap(), st: st}
}

// SetSize sets the body size.
func (m *Timeline) SetSize(w, h int) { m.width, m.height = w, h; m.clamp() }

func sortKey(p Profile) time.Time {
	if p.Created != nil {
		return *p.Created
	}
	return *p.FirstIssuance
}

// Set shows ps; cs supplies the registration-window clusters.
func (m *Timeline) Set(ps []Profile, cs []pivot.Cluster) {
	cur := ""
	if i := m.list.Cursor(); i < len(m.rows) {
		cur = m.rows[i].Domain
	}
	m.rows, m.undated = nil, nil
	for _, p := range ps {
		if p.Created == nil && p.FirstIssuance == nil {
			m.undated = append(m.undated, p.Domain)
			continue
		}
		m.rows = append(m.rows, p)
	}
	slices.SortStableFunc(m.rows, func(a, b Profile) int {
		if c := sortKey(a).Compare(sortKey(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.Domain, b.Domain)
	})
	m.windows = WindowClusters(cs, ps)
	m.list.SetLines(len(m.rows))
	m.list.SetCursor(0)
	for i, p := range m.rows {
		if p.Domain == cur {
			m.list.SetCursor(i)
		}
	}
	m.clamp()
}

// Update moves the cursor; g or enter returns the entity to jump to.
func (m Timeline) Update(msg tea.Msg) (Timeline, pivot.EntityKey) {
	var jump pivot.EntityKey
	if m.list.Update(msg, m.Keys) {
		jump = m.rows[m.list.Cursor()].Entity
	}
	m.clamp()
	return m, jump
}

func (m *Timeline) rowsHeight() int {
	return min(max(m.height-len(m.windows)-len(m.footer())-3, 1), len(m.rows))
}

func (m *Timeline) clamp() {
	if len(m.rows) == 0 {
		return
	}
	m.list.SetHeight(m.rowsHeight())
	m.list.Follow()
}

func (m *Timeline) labelW() int {
	w := 8
	for _, p := range m.rows {
		w = max(w, ansi.StringWidth(sanitize.Line(p.Domain)))
	}
	// 26 cells, or up to a quarter of a wide screen, so names are not cut
	// when there is room.
	return min(w, max(26, m.width/4))
}

// Axis returns the axis for the current rows and width.
func (m *Timeline) Axis() Axis {
	var dates []time.Time
	for _, p := range m.rows {
		if p.Created != nil {
			dates = append(dates, *p.Created)
		}
		if p.FirstIssuance != nil {
			dates = append(dates, *p.FirstIssuance)
		}
	}
	return NewAxis(dates, m.plotW())
}

// plotX is where the plot starts: cursor, domain, date, window tag.
func (m *Timeline) plotX() int { return 2 + m.labelW() + 1 + 10 + 1 + 3 + 1 }

func (m *Timeline) plotW() int { return max(m.width-m.plotX()-1, 10) }

// canvas is one line of the plot: one cell per column.
type canvas []string

func newCanvas(w int) canvas {
	c := make(canvas, w)
	for i := range c {
		c[i] = " "
	}
	return c
}

func (c canvas) put(x int, s string) {
	if x >= 0 && x < len(c) {
		c[x] = s
	}
}

// text writes s (plain) from x, styled.
func (c canvas) text(x int, s string, render func(...string) string) {
	for i, r := range []rune(s) {
		c.put(x+i, render(string(r)))
	}
}

func (c canvas) String() string { return strings.Join(c, "") }

func (m *Timeline) windowOf(domain string) int {
	for _, w := range m.windows {
		if slices.Contains(w.Members, domain) {
			return w.Index
		}
	}
	return -1
}

func (m *Timeline) shareStyle(i int) func(...string) string {
	return m.st.Share[i%len(m.st.Share)].Render
}

// View renders the window brackets, one row per domain, the axis, its
// dates, the legend and a summary.
func (m Timeline) View() string {
	st := m.st
	if len(m.rows) == 0 {
		msg := "No registration date yet: scan domains (whois) to place them on the timeline."
		return st.Dim.Render(msg)
	}
	ax := m.Axis()
	pw, lw := m.plotW(), m.labelW()
	indent := strings.Repeat(" ", m.plotX())
	breaks := func(c canvas) {
		for i := 1; i < len(ax.Segments); i++ {
			c.put(ax.Segments[i].X-2, st.Dim.Render("┊"))
		}
	}
	var lines []string
	for _, w := range m.windows {
		c := newCanvas(pw)
		breaks(c)
		a, b := ax.ColOf(w.From), ax.ColOf(w.To)
		if a < 0 || b < 0 {
			continue
		}
		render := m.shareStyle(w.Index)
		if a == b {
			c.put(a, render("┼"))
		} else {
			c.put(a, render("├"))
			for x := a + 1; x < b; x++ {
				c.put(x, render("─"))
			}
			c.put(b, render("┤"))
		}
		days := dayOf(w.To) - dayOf(w.From)
		lbl := fmt.Sprintf("◆%d %d registered within %s", w.Index+1, len(w.Members), span(days))
		if b+2+len([]rune(lbl)) <= pw {
			c.text(b+2, lbl, render)
		} else if x := a - 1 - len([]rune(lbl)); x >= 0 {
			c.text(x, lbl, render)
		}
		lines = append(lines, indent+c.String())
	}
	h, cursor := m.rowsHeight(), m.list.Cursor()
	for i := m.list.Offset(); i < min(m.list.Offset()+h, len(m.rows)); i++ {
		p := m.rows[i]
		c := newCanvas(pw)
		breaks(c)
		wi := m.windowOf(p.Domain)
		mark := st.Badge.Render
		if wi >= 0 {
			mark = m.shareStyle(wi)
		}
		if p.FirstIssuance != nil {
			c.put(ax.ColOf(*p.FirstIssuance), st.Dim.Render(GlyphFirstCT))
		}
		if p.Created != nil {
			c.put(ax.ColOf(*p.Created), mark(GlyphRegistered))
		}
		pre := listnav.Gutter(false, 2)
		if i == cursor {
			pre = st.Badge.Render(listnav.Gutter(true, 2))
		}
		dom := pad(ansi.Truncate(sanitize.Line(p.Domain), lw, "…"), lw)
		if i == cursor {
			dom = st.Bold.Render(dom)
		}
		date := st.Dim.Render(pad("no WHOIS", 10))
		if p.Created != nil {
			date = Day(*p.Created)
		}
		tag := "   "
		if wi >= 0 {
			tag = mark(pad(fmt.Sprintf("◆%d", wi+1), 3))
		}
		lines = append(lines, pre+dom+" "+date+" "+tag+" "+c.String())
	}
	// The axis and its dates.
	axis := newCanvas(pw)
	for _, s := range ax.Segments {
		for x := s.X; x < s.X+s.W && x < pw; x++ {
			axis.put(x, st.Dim.Render("─"))
		}
	}
	for i := 1; i < len(ax.Segments); i++ {
		axis.text(ax.Segments[i].X-BreakW+0, " ≈ ", st.Dim.Render)
	}
	labels := newCanvas(pw)
	next := 0
	for _, t := range ax.Ticks() {
		axis.put(t.Col, st.Dim.Render("┬"))
		d := Day(t.Date())
		x := t.Col - len(d)/2
		x = max(min(x, pw-len(d)), 0)
		if x < next {
			continue
		}
		labels.text(x, d, st.Dim.Render)
		next = x + len(d) + 1
	}
	lines = append(lines, indent+axis.String(), indent+labels.String())
	lines = append(lines, m.footer()...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n")
}

// span says how long days is in words.
func span(days int) string {
	switch {
	case days == 0:
		return "one day"
	case days == 1:
		return "1 day"
	case days < 60:
		return fmt.Sprintf("%d days", days)
	case days < 730:
		return fmt.Sprintf("%d months", days/30)
	}
	return fmt.Sprintf("%.1f years", float64(days)/365.25)
}

// footer is the legend and the summary under the axis.
func (m *Timeline) footer() []string {
	st := m.st
	legend := GlyphRegistered + " registered (WHOIS)   " + GlyphFirstCT + " first certificate in CT   ◆n registration-window cluster"
	ax := m.Axis()
	if ax.Broken() {
		legend += "   ≈ axis broken: each stretch is to scale, the gaps are not"
	}
	out := []string{st.Dim.Render(legend)}
	for _, w := range m.windows {
		var names []string
		for _, d := range w.Members {
			names = append(names, sanitize.Line(d))
		}
		out = append(out, m.shareStyle(w.Index)(fmt.Sprintf("◆%d ", w.Index+1))+
			strings.Join(names, ", ")+st.Dim.Render(fmt.Sprintf(" registered within %s (%s .. %s)", span(dayOf(w.To)-dayOf(w.From)), Day(w.From), Day(w.To))))
	}
	var first, last *Profile
	for i := range m.rows {
		p := &m.rows[i]
		if p.Created == nil {
			continue
		}
		if first == nil {
			first = p
		}
		last = p
	}
	if first != nil && last != nil && first != last {
		if d := dayOf(*last.Created) - dayOf(*first.Created); d == 0 {
			out = append(out, st.Dim.Render("all registered the same day, "+Day(*first.Created)))
		} else {
			out = append(out, st.Dim.Render("earliest: ")+sanitize.Line(first.Domain)+st.Dim.Render(fmt.Sprintf(" (%s), %s before the latest, ", Day(*first.Created), span(d)))+
				sanitize.Line(last.Domain)+st.Dim.Render(" ("+Day(*last.Created)+")"))
		}
	}
	if len(m.undated) > 0 {
		var names []string
		for _, d := range m.undated {
			names = append(names, sanitize.Line(d))
		}
		out = append(out, st.Dim.Render("no date known: "+strings.Join(names, ", ")))
	}
	return out
}
