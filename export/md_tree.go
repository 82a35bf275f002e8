package export

import (
	"fmt"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// writeTree writes the pivot tree, bounded (treeWriter).
func (r *mdReport) writeTree() error {
	m := r.m
	s := r.s
	o := r.o
	m.ln("## Pivot tree")
	m.ln()
	t := &treeWriter{m: m, s: s, shown: map[*pivot.Entity]bool{}, o: o}
	for _, id := range s.Roots() {
		if err := t.node(id, 0); err != nil {
			return err
		}
	}
	if len(s.Roots()) == 0 {
		m.ln("The tree is empty.")
	}
	if t.cut > 0 {
		m.ln()
		m.f("… the tree goes on: %d more nodes are not listed here (the csv export lists every indicator with where it was found).\n", t.cut)
	}
	m.ln()
	return nil
}

// treeWriter writes the pivot tree within mdTreeLines lines: each node
// lists at most mdTreeChildren children, children whose entity the tree
// already showed are counted instead of repeated (with their subtrees),
// and cut counts the nodes left out.
type treeWriter struct {
	m     *mdWriter
	s     *pivot.Session
	o     Options
	lines int
	cut   int
	shown map[*pivot.Entity]bool // entities printed with their children
}

func (t *treeWriter) node(id string, depth int) error {
	n := t.s.Node(id)
	if n == nil || depth > 64 {
		return nil
	}
	if t.lines%checkEvery == 0 {
		if err := t.o.cancelled(); err != nil {
			return err
		}
	}
	t.lines++
	line := strings.Repeat("  ", depth) + "- "
	if n.Relation != "" {
		line += "_" + md(n.Relation) + "_ → "
	}
	line += "**" + md(n.Value) + "** (" + md(string(n.Kind)) + ")"
	if n.Entity != nil {
		if len(n.Children) > 0 {
			t.shown[n.Entity] = true
		}
		if v := n.Entity.Verdict(); v != recon.LevelNone {
			line += " " + badge(v)
		} else if n.Entity.State == pivot.StateFailed {
			line += " — scan failed: " + md(n.Entity.Err)
		}
		if len(n.Entity.Notes) > 0 {
			line += fmt.Sprintf(" 📝 %d", len(n.Entity.Notes))
		}
	}
	t.m.ln(line)
	listed, again, left := 0, 0, 0
	for _, c := range n.Children {
		cn := t.s.Node(c)
		switch {
		case cn == nil:
		case len(cn.Children) > 0 && t.shown[cn.Entity]:
			again++ // shown elsewhere with its own children: counted, not repeated
		case listed == mdTreeChildren || t.lines >= mdTreeLines:
			left++
		default:
			listed++
			if err := t.node(c, depth+1); err != nil {
				return err
			}
		}
	}
	var notes []string
	if again > 0 {
		notes = append(notes, fmt.Sprintf("%d already shown above", again))
	}
	if left > 0 {
		notes = append(notes, fmt.Sprintf("%d more not listed", left))
		t.cut += left
	}
	if len(notes) > 0 {
		t.m.ln(strings.Repeat("  ", depth+1) + "- … " + strings.Join(notes, ", "))
	}
	return nil
}
