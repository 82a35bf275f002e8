package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// The text report of scan: its styles, and the module blocks laid out
// from recon/render rows.

// quietRenderer is a lipgloss renderer for the output of the headless
// commands that never asks the terminal anything. lipgloss v1 resolves an
// AdaptiveColor by querying the background colour (OSC 11, then a cursor
// position report, DSR): stray bytes in some terminals, and a hang in
// others (lipgloss#73). The profile comes from the environment alone
// (TERM, COLORTERM, NO_COLOR, whether out is a terminal) and the background
// from COLORFGBG, dark when it is not set.
func quietRenderer(out io.Writer, noColor bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(out)
	profile := termenv.Ascii
	if !noColor && os.Getenv("NO_COLOR") == "" {
		profile = termenv.NewOutput(out).EnvColorProfile()
	}
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(darkBackground(os.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": white on black), which rxvt,
// Konsole and others set; without it the background is taken to be dark.
func darkBackground(colorfgbg string) bool {
	parts := strings.Split(colorfgbg, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return true
	}
	return bg < 7 || bg == 8
}

// textStyles are the styles of the text report, built once per output.
type textStyles struct {
	title, module, key, dim, red, yellow, green, err lipgloss.Style
}

func newTextStyles(out io.Writer, noColor bool) textStyles {
	r := quietRenderer(out, noColor)
	return textStyles{
		title:  r.NewStyle().Bold(true),
		module: r.NewStyle().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#1F4E79", Dark: "#7FB4E8"}),
		key:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#555555", Dark: "#A0A0A0"}),
		dim:    r.NewStyle().Faint(true),
		red:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
		yellow: r.NewStyle().Bold(true).Foreground(lipgloss.Color("11")),
		green:  r.NewStyle().Bold(true).Foreground(lipgloss.Color("10")),
		err:    r.NewStyle().Foreground(lipgloss.Color("9")),
	}
}

func (s textStyles) level(l recon.Level) lipgloss.Style {
	switch l {
	case recon.LevelRed:
		return s.red
	case recon.LevelYellow:
		return s.yellow
	case recon.LevelInfo:
		return s.dim
	}
	return s.green
}

// line styles one line of a module's block: the label in its column, the
// value in its level's colour (a remark dimmed), the note dimmed. Every
// string is sanitised here.
func (s textStyles) line(ln textLine) string {
	v := sanitize.Line(ln.Value)
	switch ln.Level {
	case recon.LevelRed, recon.LevelYellow, recon.LevelGreen:
		v = s.level(ln.Level).Render(v)
	case recon.LevelInfo:
		v = s.dim.Render(v)
	}
	if ln.Note != "" {
		v = strings.TrimSpace(v + " " + s.dim.Render(sanitize.Line(ln.Note)))
	}
	if ln.Label == "" {
		return v
	}
	return s.key.Render(fmt.Sprintf("%-14s", sanitize.Line(ln.Label))) + " " + v
}

// levelMark is the verdict's badge in capitals ("■ RED"), "?" for none.
func levelMark(l recon.Level) string {
	if b := l.Badge(); b != "" {
		return strings.ToUpper(b)
	}
	return "?"
}

// printReport writes the human-readable report. Every string that came
// from the network goes through sanitize.
func printReport(w io.Writer, rep *recon.Report, noColor bool, label string) {
	st := newTextStyles(w, noColor)
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	name := rep.Target.Value
	if rep.Target.Unicode != "" {
		name += " (" + rep.Target.Unicode + ")"
	}
	where := ""
	if label != "" {
		where = "  [" + label + "]"
	}
	// Ages ("16 days ago") are counted from the scan: the report says what
	// was true when it was written.
	now := rep.Started
	if now.IsZero() {
		now = time.Now()
	}
	p("%s %s%s\n", st.title.Render("Full Scan:"), st.title.Render(sanitize.Line(name)), st.dim.Render(where))
	p("%s\n\n", st.dim.Render(fmt.Sprintf("%s target · %s · %d ms", rep.Target.Kind, rep.Started.Format(time.RFC3339), rep.DurationMS)))

	if len(rep.Notices) > 0 {
		p("%s\n", st.title.Render("Your network"))
		for _, n := range rep.Notices {
			p("  %s %s\n", st.yellow.Render("!"), sanitize.Line(n.Text))
		}
		p("\n")
	}
	p("%s  %s\n", st.title.Render("Overall Assessment"), st.level(rep.Assessment.Level).Render(levelMark(rep.Assessment.Level)))
	if a := rep.Assessment; a.Why != "" {
		p("  %s %s\n", st.key.Render("why"), sanitize.Line(a.Why))
	}
	for _, s := range rep.Assessment.Signals {
		p("  %s %s %s\n", st.level(s.Level).Render(bullet(s.Level)), sanitize.Line(s.Text), st.dim.Render("("+s.Module+")"))
	}
	for _, w := range rep.Assessment.WouldChange {
		p("  %s %s\n", st.key.Render("would change"), sanitize.Line(w))
	}
	p("\n")
	for _, id := range recon.SortedModuleIDs(rep) {
		m := rep.Modules[id]
		status := string(m.Status)
		if m.Status != recon.StatusOK {
			status = st.err.Render(status)
		}
		p("%s %s\n", st.module.Render("── "+id), st.dim.Render(fmt.Sprintf("[%s · %s · %d ms]", status, m.Touch, m.DurationMS)))
		if why := moduleError(m); why != "" {
			p("  %s\n", st.err.Render(sanitize.Line(why)))
		}
		rows, _ := render.Module(m, now)
		for _, ln := range textRows(rows) {
			p("  %s\n", st.line(ln))
		}
		for _, s := range m.Signals {
			p("  %s %s\n", st.level(s.Level).Render(bullet(s.Level)), sanitize.Line(s.Text))
		}
		if len(m.Pivots) > 0 {
			p("  %s %s\n", st.key.Render(fmt.Sprintf("%-14s", "pivots")), st.dim.Render(sanitize.Line(pivotSummary(m.Pivots))))
		}
		p("\n")
	}
}

// moduleError is what the text report says under a module's heading: its
// error or skip reason, and for a module that did not end ok without one,
// that it gave none (a failed module's block is never left bare).
func moduleError(m *recon.ModuleResult) string {
	switch {
	case m.Err != "":
		return m.Err
	case m.Status == recon.StatusError || m.Status == recon.StatusRateLimited:
		return string(m.Status) + " (the module gave no reason)"
	}
	return ""
}

// bullet is a signal's mark (recon.Level.Mark: the workbench's shapes).
func bullet(l recon.Level) string { return l.Mark() }

func pivotSummary(ps []recon.Pivot) string {
	counts := map[string]int{}
	var order []string
	for _, p := range ps {
		k := string(p.Kind) + " (" + p.Relation + ")"
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

func list(s []string, max int) string {
	if len(s) == 0 {
		return "—"
	}
	if len(s) > max {
		return strings.Join(s[:max], ", ") + fmt.Sprintf(" … (+%d)", len(s)-max)
	}
	return strings.Join(s, ", ")
}

// textJoin says how the text report puts the values of one DNS record on
// one line: at most Max values (0: all) joined by Sep. Labels not listed
// get a line per value.
var textJoin = map[string]struct {
	Max int
	Sep string
}{
	"A": {8, ", "}, "AAAA": {4, ", "}, "CNAME": {0, " → "}, "MX": {6, ", "}, "NS": {6, ", "}, "PTR": {6, ", "},
}

// textEach caps the one-line-per-value records: the rest is counted.
var textEach = map[string]int{"TXT": 6}

// textListMax is how many items of a list-valued row (recon.Row.List)
// the text report names; the rest are counted.
const textListMax = 10

// textLine is one line of a module's block in the text report.
type textLine struct {
	Label, Value, Note string
	Level              recon.Level
}

// textRows lays out facts rows (package recon/render) as the lines of the
// text report: a list-valued row on one line, capped; the values of one
// DNS record joined (textJoin) or capped (textEach); a failed question as
// "<question> error".
func textRows(rs []recon.Row) []textLine {
	var out []textLine
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r.Err:
			out = append(out, textLine{Label: r.Label + " error", Value: r.Value, Level: recon.LevelRed})
			i++
			continue
		case r.List != nil || r.More > 0:
			v := list(r.List, textListMax)
			if left := max(len(r.List)-textListMax, 0) + r.More; left > 0 {
				v = strings.Join(r.List[:min(len(r.List), textListMax)], ", ") + fmt.Sprintf(" … (+%d)", left)
			}
			out = append(out, textLine{Label: r.Label, Value: strings.TrimSpace(r.Value + " " + v), Note: r.Note, Level: r.Level})
			i++
			continue
		case r.Level != recon.LevelNone || r.Note != "" || r.Label == "":
			out = append(out, textLine{Label: r.Label, Value: r.Value, Note: r.Note, Level: r.Level})
			i++
			continue
		}
		j := i
		var vals []string
		for ; j < len(rs) && rs[j].Label == r.Label && !rs[j].Err && rs[j].Level == recon.LevelNone && rs[j].List == nil && rs[j].Note == ""; j++ {
			vals = append(vals, rs[j].Value)
		}
		i = j
		if jn, ok := textJoin[r.Label]; ok {
			if jn.Max > 0 {
				out = append(out, textLine{Label: r.Label, Value: list(vals, jn.Max)})
			} else {
				out = append(out, textLine{Label: r.Label, Value: strings.Join(vals, jn.Sep)})
			}
			continue
		}
		for k, v := range vals {
			if m := textEach[r.Label]; m > 0 && k == m {
				out = append(out, textLine{Value: fmt.Sprintf("… %d more %s", len(vals)-m, r.Label), Level: recon.LevelInfo})
				break
			}
			out = append(out, textLine{Label: r.Label, Value: v})
		}
	}
	return out
}
