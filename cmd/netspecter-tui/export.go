package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/netspecter/netspecter-tui/export"
	"github.com/netspecter/netspecter-tui/pivot"
)

// cmdExport writes a saved session in one format, to stdout (streamed) or
// to -o FILE (atomically: whole or not at all). It refuses, with exit 2,
// to write over the session itself or over another session file unless
// --force. Ctrl-C or SIGTERM stops it within a moment, also while the
// session is still loading, and leaves no partial file (exit 130).
func cmdExport(ctx context.Context, o options, pos []string, st streams) int {
	stdout, stderr := st.out, st.err
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: netspecter-tui export [--format md|json|csv|dot|mermaid|stix] [-o FILE] [--force] SESSION")
		return exitUsage
	}
	if o.output != "" && !o.force {
		if err := export.CheckOutput(o.output, pos[0]); err != nil {
			if errors.Is(err, export.ErrWouldOverwrite) {
				errorf(stderr, "%v", err)
				return exitUsage
			}
			return errorf(stderr, "%v", err)
		}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the collector works harder near 1 GiB instead of
		// letting the heap double past what is live (a 1,000,000-node case
		// peaked at 1.5 GB without it). A case that needs more still runs.
		debug.SetMemoryLimit(exportMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		// Nearly everything an export allocates is the session it loads,
		// live until the process exits: collecting at every doubling of
		// the heap marks the same nodes again and again (GC was 14% of
		// the CPU of an md export of bench300). Under the soft limit
		// above, the heap may grow further between collections.
		debug.SetGCPercent(exportGCPercent)
	}
	s, err := loadContext(ctx, pos[0])
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	opts := export.Options{Now: time.Now()}
	if o.output != "" {
		if err := export.WriteFileContext(ctx, o.output, o.format, s, opts); err != nil {
			return errorf(stderr, "%v", err)
		}
		return exitOK
	}
	if err := export.WriteContext(ctx, stdout, o.format, s, opts); err != nil {
		return errorf(stderr, "%v", err)
	}
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	return exitOK
}

// exportMemoryLimit is the soft memory limit of the export command.
const exportMemoryLimit = 1 << 30

// exportGCPercent is the export command's GOGC (bench300, 8 runs each at
// load 5: md 0.65 -> 0.60 s CPU, 84 -> 89 MB; stix 0.96 -> 0.85 s CPU,
// 110 -> 123 MB).
const exportGCPercent = 200

// loadContext is pivot.Load that returns as soon as ctx is done (a big
// case takes seconds to read; the load itself is left to finish in the
// background of a process that is about to exit).
func loadContext(ctx context.Context, path string) (*pivot.Session, error) {
	type result struct {
		s   *pivot.Session
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := pivot.Load(path)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
