// Package noquery keeps the program from asking the terminal for its
// background colour at start-up.
//
// bubbletea v1's init calls lipgloss.HasDarkBackground, which on a terminal
// writes an OSC 11 query and a cursor-position request (DSR) to stdout and
// waits for the answers: stray bytes in some terminals and a hang in others
// (lipgloss#73) — in every command of a binary that links bubbletea, even
// `scan` whose output needs no such thing. termenv skips the query when
// TERM is "dumb", and reads TERM only when it queries. So this package,
// which imports nothing but os and is therefore initialised long before
// bubbletea, sets TERM=dumb for the inits; lipgloss then settles on a dark
// background (or what COLORFGBG says) without asking, and the command's
// run function calls Restore first thing. The workbench asks once, itself,
// right before it takes the terminal (cmd/netspecter-tui/workbench.go).
//
// Import it (blank) from package main. The pty test of the command
// (TestNoTerminalQueries) fails if a change of the package graph ever lets
// bubbletea's init run first.
package noquery

import "os"

var (
	term, hadTerm = os.LookupEnv("TERM")
	restored      bool
)

func init() {
	os.Setenv("TERM", "dumb")
}

// Restore puts TERM back as the program was started with. Call it at the
// start of main, before anything decides on colours.
func Restore() {
	if restored {
		return
	}
	restored = true
	if hadTerm {
		os.Setenv("TERM", term)
	} else {
		os.Unsetenv("TERM")
	}
}
