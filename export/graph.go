package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// dotEscaper escapes the inside of a DOT double-quoted string. Input has
// been through sanitize.Line, so it holds no newline or control character;
// newlines are mapped anyway in case that ever changes.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)

// dotQ returns s as a quoted DOT ID, safe for a terminal and for Graphviz.
func dotQ(s string) string { return `"` + dotEscaper.Replace(sanitize.Line(s)) + `"` }

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

func placeClusters(s *pivot.Session, clusters []pivot.Cluster) placement {
	pl := placement{home: map[pivot.EntityKey]int{}, extra: map[int][]string{}}
	for i, c := range clusters {
		for _, m := range c.Members {
			e := entityByValue(s, m)
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
	if (e.Kind == recon.PivotCert || e.Kind == recon.PivotPubkey) && len(e.Value) > 16 {
		return e.Value[:16] + "…"
	}
	return e.Value
}

// clusterLabel returns the lines of a cluster's caption: name and score,
// then what the members share.
func clusterLabel(c pivot.Cluster, i int, extra []string) []string {
	l := []string{fmt.Sprintf("cluster %s (score %.1f)", clusterName(c, i), c.Score)}
	l = append(l, c.Shared...)
	if len(extra) > 0 {
		l = append(l, "also: "+strings.Join(extra, ", "))
	}
	return l
}

func writeDOT(w io.Writer, s *pivot.Session, o Options) error {
	b := bufio.NewWriter(w)
	g := buildGraph(s)
	clusters := s.Clusters()
	pl := placeClusters(s, clusters)

	ids := map[pivot.EntityKey]string{}
	used := map[string]bool{}
	for _, e := range g.Entities {
		id := dotQ(string(e.Key))
		for n := 2; used[id]; n++ { // sanitising may map two keys to one text
			id = dotQ(fmt.Sprintf("%s#%d", e.Key, n))
		}
		used[id] = true
		ids[e.Key] = id
	}
	node := func(indent string, e *pivot.Entity) {
		label := dotEscaper.Replace(sanitize.Line(nodeText(e))) + `\n` + dotEscaper.Replace(sanitize.Line(string(e.Kind)))
		if v := e.Verdict(); v != recon.LevelNone {
			label += ` · ` + string(v)
		}
		fmt.Fprintf(b, "%s%s [label=\"%s\", fillcolor=%q];\n", indent, ids[e.Key], label, fillColor(e.Verdict()))
	}

	b.WriteString("digraph netspecter {\n")
	fmt.Fprintf(b, "  graph [rankdir=LR, newrank=true, fontname=\"Helvetica\", label=%s, labelloc=t];\n",
		dotQ("netspecter-tui investigation, exported "+stamp(o.Now)))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for i, c := range clusters {
		fmt.Fprintf(b, "  subgraph %s {\n", dotQ(fmt.Sprintf("cluster_%d", i+1)))
		lines := clusterLabel(c, i, pl.extra[i])
		for j, l := range lines {
			lines[j] = dotEscaper.Replace(sanitize.Line(l))
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
	for _, ed := range g.Edges {
		fmt.Fprintf(b, "  %s -> %s [label=%s];\n", ids[ed.From.Key], ids[ed.To.Key], dotQ(ed.Relation))
	}
	b.WriteString("}\n")
	return b.Flush()
}

// mermaidLabel returns s safe inside a quoted Mermaid label: control
// characters as visible escapes, and every character Mermaid or the HTML
// it renders to would interpret replaced by an entity code.
func mermaidLabel(s string) string {
	var b strings.Builder
	for _, r := range sanitize.Line(s) {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#', '<', '>', '&', '`', '|':
			fmt.Fprintf(&b, "#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeMermaid(w io.Writer, s *pivot.Session, o Options) error {
	b := bufio.NewWriter(w)
	g := buildGraph(s)
	clusters := s.Clusters()
	pl := placeClusters(s, clusters)
	ids := map[pivot.EntityKey]string{}
	for i, e := range g.Entities {
		ids[e.Key] = fmt.Sprintf("e%d", i+1)
	}
	node := func(indent string, e *pivot.Entity) {
		label := mermaidLabel(nodeText(e)) + " · " + mermaidLabel(string(e.Kind))
		if v := e.Verdict(); v != recon.LevelNone {
			label += " · " + string(v)
		}
		fmt.Fprintf(b, "%s%s[\"%s\"]\n", indent, ids[e.Key], label)
	}
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(b, "  %%%% netspecter-tui investigation, exported %s\n", stamp(o.Now))
	b.WriteString("  classDef red fill:#f8d7da,stroke:#c0392b\n")
	b.WriteString("  classDef yellow fill:#fff3cd,stroke:#b7950b\n")
	b.WriteString("  classDef green fill:#d4edda,stroke:#1e8449\n")
	for i, c := range clusters {
		fmt.Fprintf(b, "  subgraph g%d[\"%s\"]\n", i+1, mermaidLabel(strings.Join(clusterLabel(c, i, pl.extra[i]), ", ")))
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
	for _, ed := range g.Edges {
		fmt.Fprintf(b, "  %s -->|\"%s\"| %s\n", ids[ed.From.Key], mermaidLabel(ed.Relation), ids[ed.To.Key])
	}
	for _, e := range g.Entities {
		if v := e.Verdict(); v != recon.LevelNone {
			fmt.Fprintf(b, "  class %s %s\n", ids[e.Key], v)
		}
	}
	return b.Flush()
}
