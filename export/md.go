package export

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// mdEscaper escapes what Markdown (GFM) would interpret inline: emphasis,
// code, links, HTML and table pipes.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `|`, `\|`, `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`,
	`~`, `\~`,
)

// md returns s as one safe line of Markdown text: control characters
// become visible escapes (sanitize.Line), then Markdown syntax is escaped.
// The result holds no newline and no unescaped pipe, so it fits a table cell.
func md(s string) string { return mdEscaper.Replace(sanitize.Line(s)) }

// cell returns an escaped cell, or a dash when empty.
func cell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return md(s)
}

// fence returns a backtick fence longer than any backtick run in body.
func fence(body string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// badge is a verdict's mark and word (recon.Level.Badge), or "not
// scanned".
func badge(l recon.Level) string {
	if b := l.Badge(); b != "" {
		return b
	}
	return "not scanned"
}

type mdWriter struct {
	w *bufio.Writer
}

func (m *mdWriter) f(format string, a ...any) { fmt.Fprintf(m.w, format, a...) }

func (m *mdWriter) ln(s ...string) { m.w.WriteString(strings.Join(s, "") + "\n") }

func (m *mdWriter) table(header []string, rows [][]string) {
	m.ln("| " + strings.Join(header, " | ") + " |")
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	m.ln("| " + strings.Join(sep, " | ") + " |")
	for _, r := range rows {
		m.ln("| " + strings.Join(r, " | ") + " |")
	}
	m.ln()
}

// What the report repeats is bounded, so that a case of any size gives a
// report a person can read: a list in a cell names at most mdListMax
// items, a part gives at most mdSectionsMax detailed sections (red first,
// then yellow, then the rest, each in session order), a table at most
// mdRowsMax rows, the pivot tree at most mdTreeLines lines and
// mdTreeChildren children per node; each cut says how many were left out
// and where the full data is (the csv and json exports). A value shared by
// many domains is listed once, with its members, in the cluster that
// holds it; a domain's row says how many others share it.
const (
	mdListMax      = 20
	mdSectionsMax  = 25
	mdRowsMax      = 500
	mdTreeLines    = 1000
	mdTreeChildren = 25
)

// more joins the first n items of list (already escaped) and says how many
// more there are.
func more(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:n], ", ") + fmt.Sprintf(" … and %d more", len(list)-n)
}

// byVerdict returns the positions 0..n-1 ordered red, yellow, then the
// rest, each in the original order.
func byVerdict(n int, level func(i int) recon.Level) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	sort.SliceStable(out, func(a, b int) bool { return level(out[a]).Rank() > level(out[b]).Rank() })
	return out
}

// cutNote is the line under a part that was cut.
func (m *mdWriter) cutNote(left int, what, where string) {
	if left > 0 {
		m.f("… and %d more %s (%s).\n\n", left, what, where)
	}
}

// mdReport is one Markdown report being written: the session, what was
// derived from it once, and the orders the sections share (the overall
// assessments and the evidence appendix list scanned entities in one
// order; the picture and the comparison matrix list domains in another).
type mdReport struct {
	m        *mdWriter
	s        *pivot.Session
	o        Options
	ents     []*pivot.Entity
	scanned  []*pivot.Entity // the scanned entities, in session order
	order    []int           // positions in scanned, as the assessments list them
	profiles []*profile      // the scanned domains
	porder   []int           // positions in profiles, as the picture lists them
	clusters []pivot.Cluster
}

// writeMarkdown writes the investigation report, section by section.
func writeMarkdown(w io.Writer, s *pivot.Session, o Options) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	x, err := newIndex(s, o)
	if err != nil {
		return err
	}
	r := &mdReport{m: m, s: s, o: o, ents: x.ents, clusters: s.Clusters()}
	r.profiles = scannedDomains(x) // after Clusters, whose profiles it reuses
	if err := o.cancelled(); err != nil {
		return err
	}
	for _, e := range r.ents {
		if e.Scan != nil {
			r.scanned = append(r.scanned, e)
		}
	}
	for _, section := range []func() error{
		r.writeAbout, r.writeAssessments, r.writePicture, r.writeClusters, r.writeMatrix,
		r.writeTimeline, r.writeTree, r.writeNotes, r.writeEvidence,
	} {
		if err := section(); err != nil {
			return err
		}
	}
	return m.w.Flush()
}
