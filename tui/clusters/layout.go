// layout.go lays the clusters list out at the pane's width: what each
// cluster holds is gathered once (build, sanitised), and laid out into
// lines whenever the width or the cursor's cluster changes (layout).

package clusters

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// A key line: the indent, the weight (4 cells), two blanks, the kind
// (kindW cells) and a blank, then the value; what follows on continuation
// lines (the why, the marks) is indented to the kind.
const (
	indent    = 3
	kindW     = 9 // "registrar"
	keyIndent = indent + 4 + 2
	valueX    = keyIndent + kindW + 1
)

type line struct {
	text   string
	member pivot.EntityKey // "" for non-selectable lines
}

// sharedKey is one value the members of a cluster share, sanitised.
type sharedKey struct {
	kind, value string
	weight      float64
	weighed     bool     // it has evidence (a weight and a why)
	why         string   // how rare the value is and what it says
	marks       []fpMark // the false-positive marks on this link
}

// fpMark is an analyst's false-positive mark, sanitised: domain marked,
// why, and for a mark whose link is not among the shared keys, what.
type fpMark struct{ domain, why, what string }

type member struct {
	key       pivot.EntityKey
	dot, name string
}

// group is one cluster as the pane shows it.
type group struct {
	header  string // styled
	members []member
	keys    []sharedKey // heaviest first
	apart   []fpMark    // marks shown below the keys (their link is gone)
}

// build gathers what each cluster shows; s gives the verdicts and the marks.
func (m *Model) build(cs []pivot.Cluster, s *pivot.Session) {
	if cs == nil && s == nil {
		return // size change only
	}
	m.count = len(cs)
	m.groups = m.groups[:0]
	st := m.st
	for i, c := range cs {
		g := group{header: st.Badge.Render(fmt.Sprintf("◆%d", i+1)) + "  " +
			st.H1.Render(fmt.Sprintf("%d members", len(c.Members))) + st.Dim.Render(fmt.Sprintf("  score %.2f", c.Score))}
		var marks []pivot.ClusterMark
		if s != nil {
			marks = s.ClusterMarks(c)
		}
		ev := map[string]pivot.Evidence{}
		for _, e := range c.Evidence {
			ev[e.Key] = e
		}
		inShared := map[string]bool{}
		for _, sh := range c.Shared {
			inShared[sh] = true
			kind, val, _ := strings.Cut(sh, ":")
			k := sharedKey{kind: sanitize.Line(kind), value: sanitize.Line(val)}
			for _, mk := range pivot.MarksOn(marks, sh) {
				k.marks = append(k.marks, fpMark{domain: sanitize.Line(mk.Domain), why: sanitize.Line(mk.Why)})
			}
			if e, ok := ev[sh]; ok {
				// how much the value weighs and why (pivot/weights.go)
				k.weight, k.weighed, k.why = e.Weight, true, sanitize.Line(e.Why)
			}
			g.keys = append(g.keys, k)
		}
		// The heaviest first, so that what links the members is read
		// first; equal weights keep the cluster's order.
		slices.SortStableFunc(g.keys, func(a, b sharedKey) int { return cmp.Compare(b.weight, a.weight) })
		for _, mk := range marks {
			if mk.Shared != "" && (inShared[mk.Shared] || len(pivot.MarksOn([]pivot.ClusterMark{mk}, firstOfKind(c.Shared, mk.Shared))) > 0) {
				continue // shown beside its link
			}
			what := sanitize.Line(mk.Shared) + " not counted"
			if mk.Shared == "" {
				what = "kept out of every cluster"
			}
			g.apart = append(g.apart, fpMark{domain: sanitize.Line(mk.Domain), why: sanitize.Line(mk.Why), what: what})
		}
		for _, mem := range c.Members {
			k := pivot.KeyOf(recon.PivotDomain, mem)
			dot := " "
			if s != nil {
				if e := s.Entity(k); e != nil {
					dot = st.Dot[e.Verdict()]
				}
			}
			g.members = append(g.members, member{key: k, dot: dot, name: sanitize.Line(mem)})
		}
		m.groups = append(m.groups, g)
	}
	m.layout()
	m.scroll()
}

// firstOfKind returns the first Shared string of kind k ("registrar"), or "".
func firstOfKind(shared []string, k string) string {
	for _, sh := range shared {
		if pivot.SharedKind(sh) == k {
			return sh
		}
	}
	return ""
}

// textW is how wide a line's text may be: the pane less the gutter and
// the free cell at the right (listnav.Row).
func (m *Model) textW() int { return max(m.width-2, 24) }

// layout turns the groups into lines at the pane's width. Each cluster
// shows its header, its members (the cursor's rows), then what they share,
// the heaviest first, one line a key: weight, kind, value (cut in the
// middle when it is too long, so that both ends of a fingerprint stay).
// The cursor's cluster is shown whole: each key's why and marks wrapped
// on lines under it; the other clusters one line a key, cut at the width.
func (m *Model) layout() {
	st := m.st
	m.lines = m.lines[:0]
	m.heads = m.heads[:0]
	var rows []int
	if len(m.groups) == 0 {
		m.lines = append(m.lines,
			line{text: st.Dim.Render("No clusters yet.")},
			line{text: ""},
			line{text: st.Dim.Render("Clusters form when what two scanned domains share weighs 3 or more:")},
			line{text: st.Dim.Render("private name servers, one certificate or key, a dedicated address;")},
			line{text: st.Dim.Render("values millions share (a big registrar, a CDN) weigh next to nothing.")},
			line{text: st.Dim.Render("Scan more nodes (a).")})
	}
	w := m.textW()
	open := m.cursorGroup()
	add := func(text string) { m.lines = append(m.lines, line{text: text}) }
	// more adds text (plain, sanitised) under a key, wrapped at the key's
	// indent, in style.
	more := func(text string, style func(...string) string) {
		for _, l := range wrap(text, w-keyIndent) {
			add(strings.Repeat(" ", keyIndent) + style(l))
		}
	}
	for gi, g := range m.groups {
		m.heads = append(m.heads, len(m.lines))
		add(g.header)
		for _, mem := range g.members {
			rows = append(rows, len(m.lines))
			m.lines = append(m.lines, line{text: mem.dot + " " + mem.name, member: mem.key})
		}
		whole := gi == open
		if whole && len(g.keys) > 0 {
			add(strings.Repeat(" ", indent) + st.Dim.Render("weight  shared, the heaviest first; why"))
		}
		for _, k := range g.keys {
			weight := strings.Repeat(" ", 4)
			if k.weighed {
				weight = fmt.Sprintf("%4.2f", k.weight)
			}
			if k.weight >= 1 {
				weight = st.Bold.Render(weight) // links, or nearly, alone
			}
			text := strings.Repeat(" ", indent) + weight + "  " + st.Label.Render(pad(k.kind, kindW)) + " " +
				middle(k.value, w-valueX)
			if !whole {
				// One line: the marks and the why as far as they go.
				tail := ""
				for _, mk := range k.marks {
					tail += "  ○ false positive for " + mk.domain
				}
				if k.weighed {
					tail += " — " + k.why
				}
				if room := w - ansi.StringWidth(text); tail != "" && room >= 4 {
					text += st.Dim.Render(ansi.Truncate(tail, room, "…"))
				}
				add(text)
				continue
			}
			add(text)
			for _, mk := range k.marks {
				more("○ false positive for "+mk.domain+" — "+mk.why, st.Dim.Render)
			}
			if k.weighed {
				more(k.why, st.Dim.Render)
			}
		}
		for _, mk := range g.apart {
			head := strings.Repeat(" ", indent) + st.Strike.Render("○ "+mk.domain+": "+mk.what)
			tail := " — " + mk.why
			if !whole || ansi.StringWidth(head+tail) <= w {
				add(head + st.Dim.Render(tail))
				continue
			}
			add(head)
			more(mk.why, st.Dim.Render)
		}
		add("")
	}
	m.list.SetRows(rows, len(m.lines))
}

// cursorGroup returns the index of the cluster of the cursor's member.
func (m *Model) cursorGroup() int {
	row := m.list.Cursor()
	for gi, g := range m.groups {
		if row < len(g.members) {
			return gi
		}
		row -= len(g.members)
	}
	return max(len(m.groups)-1, 0)
}

// pad pads s (plain) with blanks to w cells.
func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// middle shortens s (plain) to w cells by putting "…" in its middle, so
// that the start and the end of a fingerprint or a name-server set stay.
func middle(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w {
		return s
	}
	if w < 5 {
		return ansi.Truncate(s, max(w, 1), "…")
	}
	tail := (w - 1) / 2
	head := w - 1 - tail
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, n-tail, "")
}

// wrap breaks plain text into lines of at most w cells at its blanks and
// after its commas (a list of name servers), never at a hyphen inside a
// host name; a word longer than a line is cut.
func wrap(s string, w int) []string {
	w = max(w, 1)
	var out []string
	cur := ""
	put := func(piece string, glue string) {
		switch {
		case piece == "":
		case cur == "":
			cur = piece
		case ansi.StringWidth(cur)+len(glue)+ansi.StringWidth(piece) <= w:
			cur += glue + piece
		default:
			out = append(out, cur)
			cur = piece
		}
	}
	for _, word := range strings.Fields(s) {
		glue := " "
		for _, piece := range strings.SplitAfter(word, ",") {
			for ansi.StringWidth(piece) > w {
				if cur != "" {
					out = append(out, cur)
					cur = ""
				}
				out = append(out, ansi.Truncate(piece, w, ""))
				piece = ansi.TruncateLeft(piece, w, "")
			}
			put(piece, glue)
			glue = ""
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}
