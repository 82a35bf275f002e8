package main

import (
	"context"
	"fmt"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/pivot/diff"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// cmdDiff prints what changed between two sessions of a case, or within one
// session since a time (its history).
func cmdDiff(_ context.Context, o options, pos []string, st streams) int {
	stdout, stderr := st.out, st.err
	me := lookup("diff")
	if o.format != "md" && o.format != "json" {
		return usageError(stderr, me, "--format %s: give md or json", sanitize.Line(o.format))
	}
	var r *diff.Result
	switch {
	case o.since != "" && len(pos) == 1:
		at, err := diff.ParseSince(o.since, time.Now())
		if err != nil {
			return usageError(stderr, me, "%v", err)
		}
		s, err := pivot.Load(pos[0])
		if err != nil {
			return errorf(stderr, "%v", err)
		}
		if last, _ := s.LastRescan(); last.IsZero() {
			fmt.Fprintf(stderr, "note: %s was never rescanned, so it holds no earlier reports: what it scanned after %s shows as added (investigate --rescan %s keeps history)\n",
				sanitize.Line(pos[0]), at.UTC().Format(time.RFC3339), sanitize.Line(pos[0]))
		}
		r = diff.Compare(s.AsOf(at), s)
		r.Old.Source, r.Old.At = pos[0]+" as of "+at.UTC().Format(time.RFC3339), at
		r.New.Source = pos[0]
	case o.since == "" && len(pos) == 2:
		old, err := pivot.Load(pos[0])
		if err != nil {
			return errorf(stderr, "%v", err)
		}
		new, err := pivot.Load(pos[1])
		if err != nil {
			return errorf(stderr, "%v", err)
		}
		r = diff.Compare(old, new)
		r.Old.Source, r.New.Source = pos[0], pos[1]
	default:
		return usageError(stderr, me, "give two sessions, or one with --since")
	}
	var err error
	if o.format == "json" {
		err = diff.WriteJSON(stdout, r)
	} else {
		err = diff.WriteMarkdown(stdout, r)
	}
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	if o.exitOnChange && !r.Empty() {
		return exitChanged
	}
	return exitOK
}
