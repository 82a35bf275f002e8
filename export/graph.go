package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// dotEscaper escapes the inside of a DOT double-quoted string. Input has
// been through sanitize.Line, so it holds no newline or control character;
// newlines are mapped anyway in case that ever changes.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)

// dotText returns s as the escaped inside of a DOT string: sanitised,
// clipped to clipRunes, quotes and backslashes escaped (so no DOT escape
// such as \N or \G and no closing quote can come from the data).
func dotText(s string) string { return dotEscaper.Replace(line(s, clipRunes)) }

// dotQ returns s as a quoted DOT string, safe for a terminal and for Graphviz.
func dotQ(s string) string { return `"` + dotText(s) + `"` }

func fillColor(l recon.Level) string {
	switch l {
	case recon.LevelRed:
		return "#f8d7da"
	case recon.LevelYellow:
		return "#fff3cd"
	case recon.LevelGreen:
		return "#d4edda"
	}
	return "#ffffff"
}

// placement assigns every cluster member to the first cluster that lists
// it: Graphviz and Mermaid draw a node inside at most one box.
type placement struct {
	home  map[pivot.EntityKey]int // entity → cluster index
	extra map[int][]string        // cluster index → members drawn in another cluster
}

func placeClusters(x *index, clusters []pivot.Cluster) placement {
	pl := placement{home: map[pivot.EntityKey]int{}, extra: map[int][]string{}}
	for i, c := range clusters {
		for _, m := range c.Members {
			e := x.entityByValue(m)
			if e == nil {
				continue
			}
			if _, ok := pl.home[e.Key]; ok {
				pl.extra[i] = append(pl.extra[i], m)
				continue
			}
			pl.home[e.Key] = i
		}
	}
	return pl
}

// nodeText is the value shown for an entity: hashes are shortened.
func nodeText(e *pivot.Entity) string {
	if (e.Kind == recon.PivotCert || e.Kind == recon.PivotPubkey || e.Kind == recon.PivotPage) && len(e.Value) > 16 {
		return e.Value[:16] + "…"
	}
	return e.Value
}

// clusterLines is how many lines of what a cluster's members share a
// graph caption lists before it says how many more there are.
const clusterLines = 12

// clusterLabel returns the lines of a cluster's caption: name and score,
// then what the members share (at most clusterLines, each clipped), and
// the members drawn in another cluster's box.
func clusterLabel(c pivot.Cluster, i int, extra []string, marks []pivot.ClusterMark) []string {
	l := []string{fmt.Sprintf("cluster %s (score %.1f)", line(clusterName(c, i), 40), c.Score)}
	for j, sh := range c.Shared {
		if j == clusterLines {
			l = append(l, fmt.Sprintf("… and %d more shared values", len(c.Shared)-j))
			break
		}
		// A link some members marked false positive says so.
		fp := ""
		if mm := pivot.MarksOn(marks, sh); len(mm) > 0 {
			fp = fmt.Sprintf(" (false positive for %s)", line(mm[0].Domain, 40))
			if len(mm) > 1 {
				fp = fmt.Sprintf(" (false positive for %s and %d more)", line(mm[0].Domain, 40), len(mm)-1)
			}
		}
		l = append(l, line(sh, 80)+fp)
	}
	if len(extra) > 0 {
		also := make([]string, 0, min(len(extra), clusterLines))
		for _, m := range extra[:min(len(extra), clusterLines)] {
			also = append(also, line(m, 60))
		}
		x := "also: " + strings.Join(also, ", ")
		if len(extra) > clusterLines {
			x += fmt.Sprintf(" and %d more", len(extra)-clusterLines)
		}
		l = append(l, x)
	}
	return l
}

// verdictSuffix is " · red" (a known level), " · unknown" (a level a file
// made up) or "" (not scanned).
func verdictSuffix(e *pivot.Entity) string {
	if v := levelName(e.Verdict()); v != "" {
		return " · " + v
	}
	return ""
}

func writeDOT(w io.Writer, s *pivot.Session, o Options) error {
	b := bufio.NewWriter(w)
	g, err := buildGraph(s, o)
	if err != nil {
		return err
	}
	clusters := s.Clusters()
	pl := placeClusters(g.index, clusters)

	// Ids are the exporter's own (e1, e2, ...): short, and nothing of the
	// data can reach the statement syntax through them.
	ids := map[pivot.EntityKey]string{}
	for i, e := range g.Entities {
		ids[e.Key] = "e" + strconv.Itoa(i+1)
	}
	node := func(indent string, e *pivot.Entity) {
		label := dotText(nodeText(e)) + `\n` + dotText(string(e.Kind)) + verdictSuffix(e)
		fmt.Fprintf(b, "%s%s [label=\"%s\", fillcolor=\"%s\"];\n", indent, ids[e.Key], label, fillColor(e.Verdict()))
	}

	b.WriteString("digraph netspecter {\n")
	fmt.Fprintf(b, "  graph [rankdir=LR, newrank=true, fontname=\"Helvetica\", label=%s, labelloc=t];\n",
		dotQ("netspecter-tui investigation, exported "+stamp(o.Now)))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for i, c := range clusters {
		fmt.Fprintf(b, "  subgraph cluster_%d {\n", i+1)
		lines := clusterLabel(c, i, pl.extra[i], s.ClusterMarks(c))
		for j, l := range lines {
			lines[j] = dotText(l)
		}
		fmt.Fprintf(b, "    label=\"%s\";\n    style=dashed;\n    color=\"#c0392b\";\n", strings.Join(lines, `\n`))
		for _, e := range g.Entities {
			if h, ok := pl.home[e.Key]; ok && h == i {
				node("    ", e)
			}
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Entities {
		if _, ok := pl.home[e.Key]; !ok {
			node("  ", e)
		}
	}
	for i, ed := range g.Edges {
		if i%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return err
			}
		}
		fmt.Fprintf(b, "  %s -> %s [label=%s];\n", ids[ed.From.Key], ids[ed.To.Key], dotQ(ed.Relation))
	}
	b.WriteString("}\n")
	return b.Flush()
}

// mermaidLabel returns s safe inside a quoted Mermaid label: sanitised and
// clipped, then every ASCII character that is not a letter, a digit, a
// space or one of . , - _ / @ + = ! ? ( ) * written as an entity code
// (#quot; or #NN;). That covers what ends a label ("), starts a comment or
// a directive (%% %%{init}%%), Mermaid's own syntax ({ } [ ] | : ; ' `)
// and the HTML the label becomes (< > &).
func mermaidLabel(s string) string {
	s = line(s, clipRunes)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("#quot;")
		case r >= 0x80, r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" .,-_/@+=!?()*", r):
			b.WriteRune(r)
		default:
			b.WriteString("#" + strconv.Itoa(int(r)) + ";")
		}
	}
	return b.String()
}

// mermaidClass returns the class of a verdict ("red", "yellow", "green"),
// or "" when the entity gets none: class names come from this list only.
func mermaidClass(l recon.Level) string {
	switch v := levelName(l); v {
	case "red", "yellow", "green":
		return v
	}
	return ""
}

func writeMermaid(w io.Writer, s *pivot.Session, o Options) error {
	b := bufio.NewWriter(w)
	g, err := buildGraph(s, o)
	if err != nil {
		return err
	}
	clusters := s.Clusters()
	pl := placeClusters(g.index, clusters)
	ids := map[pivot.EntityKey]string{}
	for i, e := range g.Entities {
		ids[e.Key] = "e" + strconv.Itoa(i+1)
	}
	node := func(indent string, e *pivot.Entity) {
		label := mermaidLabel(nodeText(e)) + " · " + mermaidLabel(string(e.Kind)) + verdictSuffix(e)
		fmt.Fprintf(b, "%s%s[\"%s\"]\n", indent, ids[e.Key], label)
	}
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(b, "  %%%% netspecter-tui investigation, exported %s\n", stamp(o.Now))
	b.WriteString("  classDef red fill:#f8d7da,stroke:#c0392b\n")
	b.WriteString("  classDef yellow fill:#fff3cd,stroke:#b7950b\n")
	b.WriteString("  classDef green fill:#d4edda,stroke:#1e8449\n")
	for i, c := range clusters {
		lines := clusterLabel(c, i, pl.extra[i], s.ClusterMarks(c))
		for j, l := range lines {
			lines[j] = mermaidLabel(l)
		}
		fmt.Fprintf(b, "  subgraph g%d[\"%s\"]\n", i+1, strings.Join(lines, ", "))
		for _, e := range g.Entities {
			if h, ok := pl.home[e.Key]; ok && h == i {
				node("    ", e)
			}
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Entities {
		if _, ok := pl.home[e.Key]; !ok {
			node("  ", e)
		}
	}
	for i, ed := range g.Edges {
		if i%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return err
			}
		}
		fmt.Fprintf(b, "  %s -->|\"%s\"| %s\n", ids[ed.From.Key], mermaidLabel(ed.Relation), ids[ed.To.Key])
	}
	for _, e := range g.Entities {
		if c := mermaidClass(e.Verdict()); c != "" {
			fmt.Fprintf(b, "  class %s %s\n", ids[e.Key], c)
		}
	}
	return b.Flush()
}
