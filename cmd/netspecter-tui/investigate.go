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

func cmdInvestigate(ctx context.Context, o options, pos []string, stdout, stderr io.Writer) int {
	if o.rescan != "" {
		return cmdRescan(ctx, o, pos, stdout, stderr)
	}
	if o.exitOnChange {
		fmt.Fprintln(stderr, "error: --exit-on-change goes with --rescan SESSION")
		return exitUsage
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "usage: netspecter-tui investigate [--depth N] [--follow san,ip,...] [--max-scans N] [-o FILE] TARGET [TARGET...]")
		return exitUsage
	}
	var targets []recon.Target
	for _, p := range pos {
		t, err := recon.ParseTarget(p)
		if err != nil {
			return errorf(stderr, "%s", sanitize.Line(err.Error()))
		}
		targets = append(targets, t)
	}
	t := targets[0]
	follow, err := pivot.ParseFollow(o.follow)
	if err != nil {
		return errorf(stderr, "--follow: %v", err)
	}
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
		fmt.Fprintf(stderr, "continuing the session in %s (%d nodes)\n", sanitize.Line(out), s.Len())
	}
	scan := func(ctx context.Context, t recon.Target) *recon.Report {
		return w.scanner.Scan(ctx, t, recon.ScanOptions{})
	}
	prog := newProgress(stderr)
	// Autosave after finished scans, so a killed process leaves a recent
	// complete state on disk (saving is atomic). At most every 2 s and
	// never more than a tenth of the time: a big session takes a while to
	// write, and the scans wait for it (300 saves of a growing 36 MB file
	// made a 300-scan fan-out 20 times slower).
	var saveMu sync.Mutex
	lastDone := 0
	var nextSave time.Time
	opts := pivot.InvestigateOptions{
		Depth:       o.depth,
		Follow:      follow,
		MaxScans:    o.maxScans,
		Concurrency: o.concurrency,
		Now:         now,
		Progress: func(p pivot.Progress) {
			prog.update(p)
			saveMu.Lock()
			defer saveMu.Unlock()
			if p.Done+p.Failed > lastDone && !time.Now().Before(nextSave) {
				lastDone = p.Done + p.Failed
				began := time.Now()
				s.Lock() // Marshal reads the session while scans are attached
				_ = pivot.Save(s, out)
				s.Unlock()
				nextSave = time.Now().Add(max(2*time.Second, 9*time.Since(began)))
			}
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
	saveMu.Lock()
	serr := pivot.Save(s, out)
	saveMu.Unlock()
	if serr != nil {
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
		return exitError
	} else if ierr != nil {
		return errorf(stderr, "%v (what was found is saved in %s)", ierr, out)
	}
	fmt.Fprintf(stdout, "%d scans, %d nodes in %s → %s\n", scanned, s.Len(), time.Since(start).Round(time.Millisecond), sanitize.Line(out))
	for i, c := range s.Clusters() {
		fmt.Fprintf(stdout, "cluster %d (score %.1f): %s\n  shares %s\n", i+1, c.Score,
			sanitize.Line(strings.Join(c.Members, ", ")), sanitize.Line(strings.Join(c.Shared, "; ")))
	}
	return exitOK
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
