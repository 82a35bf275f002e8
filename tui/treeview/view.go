// view.go draws the tree: the title line, the visible window of rows, and
// one row (kind tag, value, relation, state, marks, badge, verdict dot).

package treeview

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// Tags are the fixed-width kind tags shown in front of each value.
var Tags = map[recon.PivotKind]string{
	recon.PivotDomain:    "DOM",
	recon.PivotSubdomain: "SUB",
	recon.PivotIP:        "IP ",
	recon.PivotASN:       "ASN",
	recon.PivotNetwork:   "NET",
	recon.PivotNS:        "NS ",
	recon.PivotMX:        "MX ",
	recon.PivotRegistrar: "REG",
	recon.PivotCert:      "CRT",
	recon.PivotPubkey:    "KEY",
	recon.PivotEmail:     "@  ",
	recon.PivotAnalytics: "TRK",
	recon.PivotFavicon:   "ICO",
	recon.PivotPage:      "PAG",
	recon.PivotVerify:    "VER",
}

// NoteMark marks a node whose entity has notes.
const NoteMark = "✎"

// Tag returns the three-cell tag of a kind.
func Tag(k recon.PivotKind) string {
	if t, ok := Tags[k]; ok {
		return t
	}
	return "?  "
}

// View renders the title line and the visible window of rows, each padded
// to the pane width.
func (m Model) View() string {
	m.ensure()
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow((m.width + 16) * m.height * 2)
	title, head := m.st.PaneTitle, "  PIVOTS"
	if m.focused {
		title, head = m.st.PaneTitleFocused, "» PIVOTS"
	}
	count := ""
	if m.s != nil {
		count = itoa(m.s.Len()) + " nodes"
	}
	if m.filter != FilterAll {
		count = filterShort[m.filter] + " · " + count
	}
	if m.sort != SortTree {
		count = SortNames[m.sort] + " · " + count
	}
	if ansi.StringWidth(head)+ansi.StringWidth(count)+2 > m.width {
		count = ansi.TruncateLeft(count, ansi.StringWidth(count)-max(m.width-ansi.StringWidth(head)-3, 0), "…")
	}
	gap := m.width - ansi.StringWidth(head) - ansi.StringWidth(count) - 1
	if gap < 1 {
		b.WriteString(title.Render(ansi.Truncate(head, m.width, "")))
		b.WriteString(pad(m.width - min(ansi.StringWidth(head), m.width)))
	} else {
		b.WriteString(title.Render(head))
		b.WriteString(pad(gap))
		b.WriteString(m.st.Dim.Render(count))
		b.WriteByte(' ')
	}
	h := m.listHeight()
	for i := 0; i < h; i++ {
		b.WriteByte('\n')
		ri := m.offset + i
		if ri >= len(m.rows) {
			b.WriteString(pad(m.width))
			continue
		}
		b.WriteString(m.renderRow(m.rows[ri], ri == m.cursor))
	}
	return b.String()
}

func pad(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// renderRow draws one row exactly m.width cells wide.
func (m *Model) renderRow(r Row, selected bool) string {
	n := m.s.Node(r.ID)
	if n == nil {
		return pad(m.width)
	}
	e := n.Entity
	marker := "  "
	if r.HasKids {
		if m.open[r.ID] {
			marker = "▾ "
		} else {
			marker = "▸ "
		}
	}
	indent := strings.Repeat("  ", min(r.Depth, 12))
	tag := Tag(n.Kind)
	value := sanitize.Line(n.Value)
	rel := ""
	if n.Relation != "" {
		rel = " " + sanitize.Line(n.Relation)
	}

	// Right-hand side: state, badge, verdict dot.
	state, stateStyle := "", m.st.Queued
	switch e.State {
	case pivot.StateRunning:
		state, stateStyle = m.spinner, m.st.Spinner
		if state == "" {
			state = "…"
		}
		if p := m.prog[e.Key]; p != "" {
			state += " " + p
		}
	case pivot.StateQueued:
		state = "queued"
	case pivot.StateFailed:
		state, stateStyle = "✗ failed", m.st.Failed
	}
	badge := m.badges[e.Key]
	lvl := e.Verdict()
	dot := lvl.Mark()
	if dot == "" {
		dot = " "
	}
	right := ""
	mark := m.marks[r.ID]
	if mark.Glyph != "" {
		right += mark.Glyph + " "
	}
	if state != "" {
		right += state + " "
	}
	if len(e.Notes) > 0 {
		right += NoteMark + " "
	}
	if badge != "" {
		right += badge + " "
	}
	rw := ansi.StringWidth(right) + 2 // dot + trailing space
	lead := " " + indent + marker + tag + " "
	// One blank cell always parts the label from the state, badge and mark.
	avail := m.width - rw - ansi.StringWidth(lead) - 1
	if avail < 1 {
		// Very narrow: drop the right side.
		right, rw, badge, state, mark = "", 2, "", "", Mark{}
		avail = m.width - rw - ansi.StringWidth(lead) - 1
	}
	text := value + rel
	if ansi.StringWidth(text) > avail {
		text = ansi.Truncate(text, max(avail, 0), "…")
		if ansi.StringWidth(value) > avail {
			rel = ""
		}
	}
	fill := max(avail-ansi.StringWidth(text), 0) + 1

	if selected {
		sel := m.st.Selected
		if !m.focused {
			sel = m.st.SelectedBlur
		}
		line := "›" + lead[1:] + text + pad(fill) + right
		line = ansi.Truncate(line, m.width-2, "")
		line += pad(m.width - 2 - ansi.StringWidth(line))
		return sel.Render(line) + m.st.Dot[lvl] + " "
	}
	var b strings.Builder
	b.WriteString(" ")
	b.WriteString(indent)
	b.WriteString(m.st.Marker.Render(marker))
	b.WriteString(m.st.KindStyle(n.Kind).Render(tag))
	b.WriteString(" ")
	if ansi.StringWidth(text) <= ansi.StringWidth(value) || rel == "" {
		b.WriteString(m.st.Value.Render(text))
	} else {
		b.WriteString(m.st.Value.Render(value))
		b.WriteString(m.st.Relation.Render(strings.TrimPrefix(text, value)))
	}
	b.WriteString(pad(fill))
	if mark.Glyph != "" {
		b.WriteString(mark.Style.Render(mark.Glyph))
		b.WriteString(" ")
	}
	if state != "" {
		b.WriteString(stateStyle.Render(state))
		b.WriteString(" ")
	}
	if len(e.Notes) > 0 && right != "" {
		b.WriteString(m.st.Note.Render(NoteMark))
		b.WriteString(" ")
	}
	if badge != "" {
		b.WriteString(m.st.Badge.Render(badge))
		b.WriteString(" ")
	}
	if lvl == recon.LevelNone {
		b.WriteString(dot)
	} else {
		b.WriteString(m.st.Dot[lvl])
	}
	b.WriteString(" ")
	return b.String()
}
