package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

func cmdInvestigate(ctx context.Context, o options, pos []string, st streams) int {
	stdout, stderr := st.out, io.Writer(&lockedWriter{w: st.err})
	me := lookup("investigate")
	if o.rescan != "" {
		return cmdRescan(ctx, o, pos, stdout, stderr)
	}
	if o.exitOnChange {
		return usageError(stderr, me, "--exit-on-change goes with --rescan SESSION")
	}
	if len(pos) == 0 && o.list == "" {
		return usageError(stderr, me, "no target: give TARGET... or -l FILE (- reads stdin)")
	}
	follow, err := pivot.ParseFollow(o.follow)
	if err != nil {
		return usageError(stderr, me, "--follow: %v", err)
	}
	// The targets are read whole first: the session file is named after the
	// first, and each becomes a root.
	var list targetList
	var targets []recon.Target
	stream := list.stream(ctx, pos, o.list, st.in, func(msg string) { fmt.Fprintln(stderr, "error: "+msg) })
	for reading := true; reading; {
		select {
		case t, ok := <-stream:
			if reading = ok; ok {
				targets = append(targets, t)
			}
		case <-ctx.Done(): // stdin may block for ever
			fmt.Fprintln(stderr, "interrupted while reading the targets; nothing was scanned")
			return exitInterrupted
		}
	}
	if list.err != nil {
		return errorf(stderr, "%v", list.err)
	}
	if len(targets) == 0 {
		if list.bad > 0 {
			return exitUsage
		}
		return usageError(stderr, me, "no target in %s", o.list)
	}
	badCode := exitOK
	if list.bad > 0 {
		badCode = exitUsage
		fmt.Fprintf(stderr, "%d target(s) rejected (see above); investigating the other %d\n", list.bad, len(targets))
	}
	warmFingerprints(o, nil)
	t := targets[0]
	out := firstNonEmpty(o.output, o.session, "investigation-"+strings.NewReplacer("@", "_at_", ":", "_").Replace(t.Value)+".json")
	w, err := setup(ctx, o, stderr)
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	defer w.close()

	now := w.scanner.Env().Clock
	// An existing session file is continued (what it has scanned is not
	// scanned again); anything else at that path is never overwritten.
	s, err := pivot.Load(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s = pivot.NewSession(now())
		if w.cfg.WindowDays > 0 {
			s.Window = time.Duration(w.cfg.WindowDays) * 24 * time.Hour
		}
	case err != nil:
		return errorf(stderr, "%s exists and is not a session this version can continue: %v\n(it was not changed; give another -o FILE)", out, err)
	default:
		if !o.silent {
			fmt.Fprintf(stderr, "continuing the session in %s (%d nodes)\n", sanitize.Line(out), s.Len())
		}
	}
	scan, partial := trackedScan(w.scanner)
	prog := newProgress(stderr)
	if o.silent {
		prog = newProgress(io.Discard)
	}
	save := &autosaver{s: s, path: out}
	opts := pivot.InvestigateOptions{
		Depth:       o.depth,
		Follow:      follow,
		MaxScans:    o.maxScans,
		Concurrency: o.concurrency,
		Now:         now,
		Progress: func(p pivot.Progress) {
			prog.update(p)
			save.progress(p)
		},
	}
	start := time.Now()
	// Each target is a root; entities already scanned from an earlier root
	// are expanded, not scanned again.
	var ierr error
	for _, root := range targets {
		if ierr = pivot.Investigate(ctx, s, root, scan, opts); ierr != nil {
			break
		}
	}
	prog.finish()
	if serr := save.final(); serr != nil {
		return errorf(stderr, "saving the session to %s: %v", out, serr)
	}
	scanned := 0
	for _, e := range s.Entities() {
		if e.Scan != nil {
			scanned++
		}
	}
	if errors.Is(ierr, context.Canceled) {
		fmt.Fprintf(stderr, "interrupted: saved %d scans (%d nodes) to %s\n", scanned, s.Len(), sanitize.Line(out))
		return exitInterrupted
	} else if ierr != nil {
		return errorf(stderr, "%v (what was found is saved in %s)", ierr, out)
	}
	fmt.Fprintf(stdout, "%d scans, %d nodes in %s → %s\n", scanned, s.Len(), time.Since(start).Round(time.Millisecond), sanitize.Line(out))
	for i, c := range s.Clusters() {
		// each shared value with its weight (pivot/weights.go)
		shares := make([]string, len(c.Shared))
		for j, sh := range c.Shared {
			shares[j] = sh
			if j < len(c.Evidence) && c.Evidence[j].Key == sh {
				shares[j] += fmt.Sprintf(" (%.2g)", c.Evidence[j].Weight)
			}
		}
		fmt.Fprintf(stdout, "cluster %d (score %.1f): %s\n  shares %s\n", i+1, c.Score,
			sanitize.Line(strings.Join(c.Members, ", ")), sanitize.Line(strings.Join(shares, "; ")))
	}
	if partial.Load() {
		return worse(badCode, exitPartial)
	}
	return badCode
}

// progress shows a bar on a terminal and plain lines when piped.
type progress struct {
	w       io.Writer
	tty     bool
	last    time.Time
	printed int // finished scans already printed (plain mode)
	mu      sync.Mutex
}

func newProgress(w io.Writer) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd())
	}
	return &progress{w: w, tty: tty}
}

func (p *progress) update(s pivot.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tty {
		if s.Last != "" && s.Done+s.Failed > p.printed {
			p.printed = s.Done + s.Failed
			status := "done"
			if s.Err != "" {
				status = "failed: " + s.Err
			}
			fmt.Fprintf(p.w, "[%d/%d] %s %s\n", s.Done+s.Failed, s.Total, sanitize.Line(s.Last), sanitize.Line(status))
		}
		return
	}
	if time.Since(p.last) < 50*time.Millisecond && s.Running > 0 {
		return
	}
	p.last = time.Now()
	const width = 30
	total := s.Total
	if total == 0 {
		total = 1
	}
	fill := (s.Done + s.Failed) * width / total
	if fill > width {
		fill = width
	}
	bar := strings.Repeat("█", fill) + strings.Repeat("░", width-fill)
	fmt.Fprintf(p.w, "\r\x1b[K%s %d/%d scans · %d running · %d queued · %s", bar, s.Done+s.Failed, s.Total, s.Running, s.Queued, truncate(sanitize.Line(s.Last), 40))
}

func (p *progress) finish() {
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
