package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/pivot/diff"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// cmdRescan scans every scanned entity of a session again (investigate
// --rescan SESSION), saves the session with the earlier reports in its
// history, and prints what changed. With --exit-on-change it exits 4 when
// anything did.
func cmdRescan(ctx context.Context, o options, pos []string, stdout, stderr io.Writer) int {
	if len(pos) > 0 {
		fmt.Fprintln(stderr, "usage: netspecter-tui investigate --rescan SESSION [--exit-on-change] [--concurrency N] [-o FILE]\n(a rescan takes no targets: it scans again what the session has scanned)")
		return exitUsage
	}
	in := o.rescan
	out := firstNonEmpty(o.output, in)
	warmFingerprints(o, nil)
	s, err := pivot.Load(in)
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	w, err := setup(ctx, o, stderr)
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	defer w.close()
	now := w.scanner.Env().Clock
	// The state before the rescan is the session as of the latest of now
	// and its last scan (a session written with a clock ahead of this one).
	before := now()
	for _, e := range s.Entities() {
		if e.ScannedAt.After(before) {
			before = e.ScannedAt
		}
	}
	scan, partial := trackedScan(w.scanner)
	prog := newProgress(stderr)
	if o.silent {
		prog = newProgress(io.Discard)
	} else {
		fmt.Fprintf(stderr, "rescanning %d entities of %s\n", len(s.Rescannable()), sanitize.Line(in))
	}
	start := time.Now()
	save := &autosaver{s: s, path: out}
	rerr := pivot.Rescan(ctx, s, scan, pivot.RescanOptions{Concurrency: o.concurrency, Now: now,
		Progress: func(p pivot.Progress) { prog.update(p); save.progress(p) }})
	prog.finish()
	if err := save.final(); err != nil {
		return errorf(stderr, "saving the session to %s: %v", out, err)
	}
	if errors.Is(rerr, context.Canceled) {
		fmt.Fprintf(stderr, "interrupted: what was rescanned is saved in %s\n", sanitize.Line(out))
		return exitInterrupted
	} else if rerr != nil {
		return errorf(stderr, "%v (what was rescanned is saved in %s)", rerr, out)
	}
	r := diff.Compare(s.AsOf(before), s)
	fmt.Fprintf(stdout, "rescanned %d entities in %s → %s\n", len(s.Rescannable()), time.Since(start).Round(time.Millisecond), sanitize.Line(out))
	if err := diff.WriteText(stdout, r, 40); err != nil {
		return errorf(stderr, "%v", err)
	}
	if !r.Empty() {
		fmt.Fprintf(stdout, "full report: netspecter-tui diff --since %s %s\n", before.UTC().Format(time.RFC3339Nano), sanitize.Line(out))
	}
	code := exitOK
	if partial.Load() {
		code = exitPartial // some module could not run: its facts are listed as not compared
	}
	if o.exitOnChange && !r.Empty() {
		code = worse(code, exitChanged)
	}
	return code
}
