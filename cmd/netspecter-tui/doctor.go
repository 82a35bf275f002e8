package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/netspecter/netspecter-tui/recon/doctor"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

func cmdDoctor(ctx context.Context, o options, args []string, s streams) int {
	if len(args) > 0 {
		return usageError(s.err, lookup("doctor"), "doctor takes no targets (it checks the sources, not a domain)")
	}
	w, err := setup(ctx, o, s.err)
	if err != nil {
		return errorf(s.err, "%v", err)
	}
	defer w.close()
	var dirs []string
	if w.label == "" {
		dirs = geoDirs(o, w.cfg)
	}
	checks := doctor.Run(ctx, w.scanner.Env(), doctor.Options{GeoIPDirs: dirs})
	if ctx.Err() != nil {
		return exitInterrupted
	}
	if o.json {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(checks); err != nil {
			return errorf(s.err, "%v", err)
		}
	} else {
		printDoctor(s.out, checks, o.noColor, w.label)
	}
	if !doctor.Usable(checks) {
		return exitPartial
	}
	return exitOK
}

// printDoctor writes one line per source (mark, name, what was found) and,
// under each problem, what to do. Every string is sanitised: details quote
// errors and answers from the network.
func printDoctor(w io.Writer, checks []doctor.Check, noColor bool, label string) {
	st := newTextStyles(w, noColor)
	where := "this machine's network"
	if label != "" {
		where = label
	}
	fmt.Fprintf(w, "%s %s\n\n", st.title.Render("netspecter-tui doctor:"), st.dim.Render(sanitize.Line(where)))
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	var fails, warns int
	for _, c := range checks {
		mark := st.green.Render("ok  ")
		switch c.Status {
		case doctor.Warn:
			mark = st.yellow.Render("warn")
			warns++
		case doctor.Fail:
			mark = st.red.Render("FAIL")
			fails++
		}
		fmt.Fprintf(w, "%s  %-*s  %s\n", mark, width, sanitize.Line(c.Name), sanitize.Line(c.Detail))
		if c.Fix != "" {
			fmt.Fprintf(w, "      %-*s  %s\n", width, "", st.dim.Render("→ "+sanitize.Line(c.Fix)))
		}
	}
	fmt.Fprintln(w)
	switch {
	case fails > 0:
		fmt.Fprintf(w, "%s\n", st.red.Render(fmt.Sprintf("%d of %d sources cannot be used now; scans will say \"unknown\" where they would need them.", fails, len(checks))))
	case warns > 0:
		fmt.Fprintf(w, "%s\n", st.yellow.Render(fmt.Sprintf("every source is usable; %d with a caveat.", warns)))
	default:
		fmt.Fprintf(w, "%s\n", st.green.Render("every source is usable."))
	}
}
