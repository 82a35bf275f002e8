package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mattn/go-isatty"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
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
	warmFingerprints(o, only)
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
