package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

func cmdScan(ctx context.Context, o options, args []string, s streams) int {
	me := lookup("scan")
	switch {
	case len(args) == 0 && o.list == "":
		return usageError(s.err, me, "no target: give TARGET... or -l FILE (- reads stdin)")
	case o.json && o.jsonl:
		return usageError(s.err, me, "give --json or --jsonl, not both")
	case o.concurrency < 1:
		return usageError(s.err, me, "--concurrency must be at least 1")
	}
	var only []string
	for _, m := range strings.Split(o.modules, ",") {
		if m = strings.TrimSpace(m); m != "" {
			only = append(only, m)
		}
	}
	w, err := setup(ctx, o, s.err)
	if err != nil {
		return errorf(s.err, "%v", err)
	}
	defer w.close()
	if len(only) > 0 {
		if err := w.scanner.CheckModules(only); err != nil {
			return usageError(s.err, me, "%v", err)
		}
	}

	out := s.out
	var file *atomicFile
	if o.output != "" {
		if _, err := pivot.Load(o.output); err == nil {
			return errorf(s.err, "%s is a netspecter-tui session: scan -o does not overwrite it (give another file)", o.output)
		}
		if file, err = createAtomic(o.output); err != nil {
			return errorf(s.err, "%v", err)
		}
		defer file.abort() // no-op after commit
		out = file
	}
	var status *statusLine
	if !o.silent {
		status = newStatusLine(s.err)
	}
	stderr := &lockedWriter{w: s.err}
	report := func(msg string) { status.println(stderr, "error: "+msg) }

	var list targetList
	targets := list.stream(ctx, args, o.list, s.in, report)
	type done struct {
		i   int
		rep *recon.Report
		cut bool // the scan was interrupted: its report is incomplete
	}
	jobs := make(chan struct {
		i int
		t recon.Target
	})
	results := make(chan done)
	listRead := false // the whole list was read: list's fields may be read once results is closed
	go func() {
		defer close(jobs)
		// Not ranging over targets: a list read from a terminal or a
		// pipe may block for ever, and an interrupt must not wait for it.
		for i := 0; ; i++ {
			var t recon.Target
			var ok bool
			select {
			case t, ok = <-targets:
			case <-ctx.Done():
			}
			if !ok {
				listRead = ctx.Err() == nil
				return
			}
			select {
			case jobs <- struct {
				i int
				t recon.Target
			}{i, t}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				opts := recon.ScanOptions{Only: only}
				if status != nil {
					status.start(j.t.Value)
					opts.Progress = func(done, pending []string) { status.progress(j.t.Value, done, pending) }
				}
				rep := w.scanner.Scan(ctx, j.t, opts)
				status.finish(j.t.Value)
				results <- done{j.i, rep, ctx.Err() != nil}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Text and --json keep the order of the input; --jsonl writes each
	// report as it finishes.
	code := exitOK
	var werr error
	write := func(rep *recon.Report) {
		if werr != nil {
			return
		}
		switch {
		case o.jsonl:
			werr = json.NewEncoder(out).Encode(rep)
		case o.json:
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			werr = enc.Encode(rep)
		default:
			printReport(out, rep, o.noColor || file != nil, w.label)
		}
	}
	pending := map[int]*recon.Report{}
	next, scanned := 0, 0
	for d := range results {
		if d.cut {
			continue
		}
		scanned++
		if incomplete(d.rep) {
			code = worse(code, exitPartial)
		}
		if o.jsonl {
			write(d.rep)
			continue
		}
		pending[d.i] = d.rep
		for rep, ok := pending[next]; ok; rep, ok = pending[next] {
			delete(pending, next)
			write(rep)
			next++
		}
	}
	// After an interrupt the finished reports behind a gap are still written.
	for i := next; len(pending) > 0; i++ {
		if rep, ok := pending[i]; ok {
			delete(pending, i)
			write(rep)
		}
	}
	status.clear()
	if listRead { // else interrupted: the list's reader may still be blocked on stdin
		if list.err != nil {
			fmt.Fprintf(stderr, "error: %v\n", list.err)
			code = worse(code, exitError)
		}
		if list.bad > 0 {
			code = worse(code, exitUsage)
			if list.count > 0 {
				fmt.Fprintf(stderr, "%d target(s) rejected (see above); the other %d were scanned\n", list.bad, scanned)
			}
		}
	}
	if werr != nil {
		return errorf(stderr, "writing the output: %v", werr)
	}
	if file != nil {
		if err := file.commit(); err != nil {
			return errorf(stderr, "%v", err)
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "interrupted: %d target(s) scanned and written; the rest were not\n", scanned)
		return exitInterrupted
	}
	return code
}

// trackedScan wraps sc.Scan for the headless chaining commands: the flag it
// returns is set once any scan that was not cancelled ended with a module
// that could not run (exit 3).
func trackedScan(sc *recon.Scanner) (func(context.Context, recon.Target) *recon.Report, *atomic.Bool) {
	partial := new(atomic.Bool)
	return func(ctx context.Context, t recon.Target) *recon.Report {
		rep := sc.Scan(ctx, t, recon.ScanOptions{})
		if ctx.Err() == nil && incomplete(rep) {
			partial.Store(true)
		}
		return rep
	}, partial
}

// incomplete reports whether some module of rep could not run (error or
// rate-limited): the scan is done but not whole (exit status 3).
func incomplete(rep *recon.Report) bool {
	for _, m := range rep.Modules {
		if m != nil && (m.Status == recon.StatusError || m.Status == recon.StatusRateLimited) {
			return true
		}
	}
	return false
}

// statusLine is a one-line live status on a terminal's stderr; nil when
// stderr is not a terminal (piped output gets no progress noise) or -q.
// Its methods are safe for concurrent use and do nothing on nil.
type statusLine struct {
	w       *os.File
	mu      sync.Mutex
	text    string
	running []string            // targets being scanned, in start order
	modules map[string][2]int   // target → modules done, total
	waiting map[string][]string // target → modules still running
	done    int
}

func newStatusLine(w io.Writer) *statusLine {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return &statusLine{w: f, modules: map[string][2]int{}, waiting: map[string][]string{}}
}

func (s *statusLine) start(target string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = append(s.running, target)
	s.redraw()
}

func (s *statusLine) progress(target string, done, pending []string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.modules[target] = [2]int{len(done), len(done) + len(pending)}
	s.waiting[target] = pending
	s.redraw()
}

func (s *statusLine) finish(target string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, t := range s.running {
		if t == target {
			s.running = append(s.running[:i], s.running[i+1:]...)
			break
		}
	}
	delete(s.modules, target)
	delete(s.waiting, target)
	s.done++
	s.redraw()
}

// redraw writes the status; the caller holds mu.
func (s *statusLine) redraw() {
	var text string
	switch len(s.running) {
	case 0:
		text = ""
	case 1:
		t := s.running[0]
		text = "scanning " + t + " …"
		if m, ok := s.modules[t]; ok {
			text = fmt.Sprintf("scanning %s · %d/%d modules · waiting for %s", t, m[0], m[1], strings.Join(s.waiting[t], ", "))
		}
	default:
		text = "scanning " + strings.Join(s.running, ", ")
	}
	if s.done > 0 && text != "" {
		text = fmt.Sprintf("%d done · %s", s.done, text)
	}
	s.text = text
	fmt.Fprintf(s.w, "\r\x1b[K%s", truncate(sanitize.Line(text), 100))
}

// println prints a line above the status (to w when there is no status).
func (s *statusLine) println(w io.Writer, line string) {
	if s == nil {
		fmt.Fprintln(w, line)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, "\r\x1b[K%s\n", line)
	fmt.Fprintf(s.w, "%s", truncate(sanitize.Line(s.text), 100))
}

func (s *statusLine) clear() {
	if s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprint(s.w, "\r\x1b[K")
	}
}

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

// levelMark is the verdict's mark and its word in capitals ("■ RED").
func levelMark(l recon.Level) string {
	switch l {
	case recon.LevelRed, recon.LevelYellow, recon.LevelGreen:
		return l.Mark() + " " + strings.ToUpper(l.Word())
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
		rows, _ := render.Rows(m.Facts, time.Now())
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
