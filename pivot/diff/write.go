package diff

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// WriteJSON writes r as one indented JSON object (the contract). Strings
// are stored as the sessions hold them; JSON escapes control characters.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("diff: writing JSON: %w", err)
	}
	return nil
}

// mdEscaper escapes what Markdown (GFM) interprets inline: emphasis, code,
// links, HTML and table pipes.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `|`, `\|`, `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`,
	`~`, `\~`, `#`, `\#`,
)

// md returns a session string as one safe line of Markdown: control
// characters become visible escapes (sanitize.Line: no newline, no escape
// sequence), then Markdown syntax is escaped, so it fits a table cell.
// Sessions are untrusted files.
func md(s string) string { return mdEscaper.Replace(sanitize.Line(s)) }

func cell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return md(s)
}

func mdList(vs []string) string {
	if len(vs) == 0 {
		return "—"
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = md(v)
	}
	return strings.Join(out, ", ")
}

// valueText renders a Change's Old or New.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return cell(x)
	case []string:
		return mdList(x)
	}
	return cell(fmt.Sprint(v))
}

// level is a verdict's badge (recon.Level.Badge), or "not assessed".
func level(l recon.Level) string {
	if b := l.Badge(); b != "" {
		return b
	}
	return "not assessed"
}

// Summary is one line counting the changes, for a terminal or a log.
func (r *Result) Summary() string {
	if r.Empty() {
		s := "no changes"
		if len(r.Unchecked) > 0 {
			s += fmt.Sprintf(" (%d facts could not be compared)", len(r.Unchecked))
		}
		return s
	}
	c := r.Clusters
	clusters := len(c.Formed) + len(c.Gone) + len(c.Grown) + len(c.Shrunk) + len(c.Split) + len(c.Merged) + len(c.Changed)
	s := fmt.Sprintf("%d added, %d removed, %d facts changed, %d verdicts changed, %d cluster changes",
		len(r.Added), len(r.Removed), len(r.Changed), len(r.Verdicts), clusters)
	if len(r.Unchecked) > 0 {
		s += fmt.Sprintf("; %d facts could not be compared", len(r.Unchecked))
	}
	return s
}

// WriteMarkdown writes r as a readable report. Every string from the
// sessions is escaped for Markdown.
func WriteMarkdown(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	table := func(head []string, rows [][]string) {
		p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
		for _, row := range rows {
			p("| %s |\n", strings.Join(row, " | "))
		}
		p("\n")
	}
	sideText := func(s Side) string {
		at := "unknown time"
		if !s.At.IsZero() {
			at = s.At.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("%s (%s; %d entities, %d scanned)", cell(s.Source), at, s.Entities, s.Scanned)
	}
	p("# What changed\n\n")
	p("- **Old:** %s\n- **New:** %s\n\n", sideText(r.Old), sideText(r.New))
	p("**%s.**\n\n", r.Summary())

	if len(r.Verdicts) > 0 {
		p("## Verdicts\n\n")
		var rows [][]string
		for _, v := range r.Verdicts {
			rows = append(rows, []string{cell(v.Entity), level(v.Old), level(v.New), cell(v.Why)})
		}
		table([]string{"entity", "was", "now", "rules that changed"}, rows)
	}
	if len(r.Changed) > 0 {
		p("## Facts changed\n\n")
		var rows [][]string
		for _, c := range r.Changed {
			delta := "—"
			if len(c.Added) > 0 || len(c.Removed) > 0 {
				var parts []string
				for _, v := range c.Added {
					parts = append(parts, "+"+md(v))
				}
				for _, v := range c.Removed {
					parts = append(parts, "−"+md(v))
				}
				delta = strings.Join(parts, ", ")
			}
			rows = append(rows, []string{cell(c.Entity), cell(c.Module), cell(c.Field), valueText(c.Old), valueText(c.New), delta})
		}
		table([]string{"entity", "module", "field", "old", "new", "added / removed"}, rows)
	}
	ents := func(title string, es []Entity) {
		if len(es) == 0 {
			return
		}
		p("## %s\n\n", title)
		var rows [][]string
		for _, e := range es {
			rows = append(rows, []string{cell(e.Value), cell(string(e.Kind)), cell(e.Relation), cell(e.Parent), level(e.Verdict)})
		}
		table([]string{"entity", "kind", "found as", "found from", "verdict"}, rows)
	}
	ents("Added", r.Added)
	ents("Removed (no longer found)", r.Removed)
	writeClusters(p, r.Clusters)
	if len(r.Unchecked) > 0 {
		p("## Could not compare\n\nOne side could not read these facts; that is not a change.\n\n")
		var rows [][]string
		for _, u := range r.Unchecked {
			rows = append(rows, []string{cell(u.Entity), cell(u.Module), cell(u.Field), cell(u.Side), cell(u.Why)})
		}
		table([]string{"entity", "module", "field", "unread on", "why"}, rows)
	}
	return b.Flush()
}

func writeClusters(p func(string, ...any), c Clusters) {
	if len(c.Formed)+len(c.Gone)+len(c.Grown)+len(c.Shrunk)+len(c.Split)+len(c.Merged)+len(c.Changed) == 0 {
		return
	}
	p("## Clusters\n\n")
	one := func(r ClusterRef) string {
		return fmt.Sprintf("%s (score %.1f; shares %s)", mdList(r.Members), r.Score, mdList(r.Shared))
	}
	many := func(rs []ClusterRef) string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = mdList(r.Members)
		}
		return strings.Join(out, " · ")
	}
	for _, r := range c.Formed {
		p("- **formed:** %s\n", one(r))
	}
	for _, r := range c.Gone {
		p("- **gone:** %s\n", one(r))
	}
	move := func(kind string, ms []ClusterMove) {
		for _, m := range ms {
			p("- **%s:** %s", kind, mdList(m.New.Members))
			if len(m.Joined) > 0 {
				p("; joined %s", mdList(m.Joined))
			}
			if len(m.Left) > 0 {
				p("; left %s", mdList(m.Left))
			}
			if len(m.SharedAdded) > 0 {
				p("; now also shares %s", mdList(m.SharedAdded))
			}
			if len(m.SharedRemoved) > 0 {
				p("; no longer shares %s", mdList(m.SharedRemoved))
			}
			p(" (score %.1f → %.1f)\n", m.Old.Score, m.New.Score)
		}
	}
	move("grown", c.Grown)
	move("shrunk", c.Shrunk)
	move("changed", c.Changed)
	for _, s := range c.Split {
		p("- **split:** %s → %s\n", many(s.Old), many(s.New))
	}
	for _, s := range c.Merged {
		p("- **merged:** %s → %s\n", many(s.Old), many(s.New))
	}
	p("\n")
}

// WriteText writes r as short plain lines for a terminal or a log: the
// summary, then one line per change (at most limit lines of changes; <= 0:
// all). Session strings are sanitised (sanitize.Line).
func WriteText(w io.Writer, r *Result, limit int) error {
	b := bufio.NewWriter(w)
	var lines []string
	l := sanitize.Line
	list := func(vs []string) string { return l(strings.Join(vs, ", ")) }
	for _, v := range r.Verdicts {
		lines = append(lines, fmt.Sprintf("verdict %s: %s → %s (%s)", l(v.Entity), level(v.Old), level(v.New), l(v.Why)))
	}
	for _, c := range r.Changed {
		lines = append(lines, fmt.Sprintf("%s: %s %s: %s", l(c.Entity), c.Module, c.Field, c.Delta()))
	}
	for _, e := range r.Added {
		lines = append(lines, fmt.Sprintf("added %s %s (%s of %s)", e.Kind, l(e.Value), l(cmp.Or(e.Relation, "root")), l(cmp.Or(e.Parent, "—"))))
	}
	for _, e := range r.Removed {
		lines = append(lines, fmt.Sprintf("no longer found: %s %s (%s of %s)", e.Kind, l(e.Value), l(cmp.Or(e.Relation, "root")), l(cmp.Or(e.Parent, "—"))))
	}
	c := r.Clusters
	for _, x := range c.Formed {
		lines = append(lines, "cluster formed: "+list(x.Members))
	}
	for _, x := range c.Gone {
		lines = append(lines, "cluster gone: "+list(x.Members))
	}
	for _, m := range c.Grown {
		lines = append(lines, "cluster grown: "+list(m.New.Members)+" (joined "+list(m.Joined)+")")
	}
	for _, m := range c.Shrunk {
		lines = append(lines, "cluster shrunk: "+list(m.New.Members)+" (left "+list(m.Left)+")")
	}
	for _, m := range c.Changed {
		lines = append(lines, "cluster shares other things: "+list(m.New.Members))
	}
	for _, s := range c.Split {
		lines = append(lines, fmt.Sprintf("cluster split: %s into %d", list(s.Old[0].Members), len(s.New)))
	}
	for _, s := range c.Merged {
		lines = append(lines, fmt.Sprintf("clusters merged: %s", list(s.New[0].Members)))
	}
	fmt.Fprintln(b, r.Summary())
	for i, line := range lines {
		if limit > 0 && i == limit {
			fmt.Fprintf(b, "  … and %d more\n", len(lines)-limit)
			break
		}
		fmt.Fprintln(b, "  "+line)
	}
	return b.Flush()
}

// Delta says the change in one plain line, session strings sanitised:
// "+a +b −c" for a set, "old → new" for a single value.
func (c Change) Delta() string {
	if c.Added != nil || c.Removed != nil {
		var parts []string
		for _, v := range c.Added {
			parts = append(parts, "+"+sanitize.Line(v))
		}
		for _, v := range c.Removed {
			parts = append(parts, "−"+sanitize.Line(v))
		}
		return strings.Join(parts, " ")
	}
	return plain(c.Old) + " → " + plain(c.New)
}

func plain(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return sanitize.Line(x)
	case []string:
		return sanitize.Line(strings.Join(x, ", "))
	}
	return sanitize.Line(fmt.Sprint(v))
}
