package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/doctor"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// sourceChecks are the last source checks (p) and whether they run now.
type sourceChecks struct {
	last    []doctor.Check
	running bool
}

// openSources opens the sources panel (p): request statistics, the source
// checks (laid out again when they land) and the keys and config loaded.
func (a *App) openSources() {
	p := dialog.NewInfo(a.st, "sources", "Sources", nil)
	p.Layout = func(int) []string { return a.sourcesLines() }
	p.Hint = "j/k scroll · space/pgdn page · g/G top/bottom · esc closes"
	a.open(p)
}

// sourcesLines are the sources panel's lines.
func (a *App) sourcesLines() []string {
	var lines []string
	st := a.st
	if a.o.Sources == nil {
		lines = append(lines, st.Dim.Render("no source statistics in this mode"))
	} else {
		stats := a.o.Sources()
		if len(stats) == 0 {
			lines = append(lines, st.Dim.Render("no requests yet"))
		} else {
			lines = append(lines, st.Label.Render(fmt.Sprintf("%-14s %8s %7s %6s  %s", "service", "requests", "errors", "limit", "state")))
		}
		now := a.o.Now()
		for _, s := range stats {
			state := st.Level[recon.LevelGreen].Render("ok")
			if !s.LimitedUntil.IsZero() && s.LimitedUntil.After(now) {
				state = st.Level[recon.LevelYellow].Render("rate-limited until " + s.LimitedUntil.Format("15:04:05"))
			} else if s.RateLimited > 0 {
				state = st.Level[recon.LevelYellow].Render(fmt.Sprintf("was rate-limited %d×", s.RateLimited))
			}
			limit := "—"
			if s.PerSecond > 0 {
				limit = fmt.Sprintf("%g/s", s.PerSecond)
			}
			lines = append(lines, fmt.Sprintf("%-14s %8d %7d %6s  ", sanitizeLine(s.Service), s.Requests, s.Errors, limit)+state)
			if s.LastError != "" {
				lines = append(lines, st.Dim.Render("  last error: "+sanitizeLine(s.LastError)))
			}
		}
	}
	lines = append(lines, "")
	lines = append(lines, a.checkLines()...)
	lines = append(lines, "")
	keys := "none (keyed sources are skipped)"
	if len(a.o.KeysLoaded) > 0 {
		ks := make([]string, len(a.o.KeysLoaded))
		for i, k := range a.o.KeysLoaded {
			ks[i] = sanitizeLine(k)
		}
		keys = strings.Join(ks, ", ")
	}
	lines = append(lines, st.Label.Render("API keys loaded: ")+keys)
	cfg := a.o.ConfigPath
	if cfg == "" {
		cfg = "(none)"
	} else if _, err := os.Stat(cfg); err != nil {
		cfg += " (not present: defaults and environment variables apply)"
	}
	lines = append(lines, st.Label.Render("config: ")+sanitizeLine(cfg))
	if a.o.Lab != "" {
		lines = append(lines, st.Label.Render("mode: ")+"lab — "+sanitizeLine(a.o.Lab)+" (no real network)")
	}
	return lines
}

// checksMsg carries the source checks' results.
type checksMsg []doctor.Check

// runChecks starts the source checks (as doctor) unless they are running.
func (a *App) runChecks() tea.Cmd {
	if a.o.Checks == nil || a.checks.running {
		return nil
	}
	a.checks.running = true
	run := a.o.Checks
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return checksMsg(run(ctx))
	}
}

// checkLines are the sources panel's check rows: one per source, with what
// to do under each problem.
func (a *App) checkLines() []string {
	st := a.st
	switch {
	case a.o.Checks == nil:
		return nil
	case a.checks.last == nil:
		return []string{st.Label.Render("Source checks") + st.Dim.Render("  checking… (as netspecter-tui doctor)")}
	}
	head := st.Label.Render("Source checks") + st.Dim.Render("  (as netspecter-tui doctor)")
	if a.checks.running {
		head += st.Dim.Render(" · checking again…")
	}
	out := []string{head}
	for _, c := range a.checks.last {
		mark := st.Level[recon.LevelGreen].Render("ok  ")
		switch c.Status {
		case doctor.Warn:
			mark = st.Level[recon.LevelYellow].Render("warn")
		case doctor.Fail:
			mark = st.Level[recon.LevelRed].Render("FAIL")
		}
		out = append(out, mark+" "+sanitizeLine(c.Name)+": "+sanitizeLine(c.Detail))
		if c.Fix != "" {
			out = append(out, st.Dim.Render("     → "+sanitizeLine(c.Fix)))
		}
	}
	return out
}
