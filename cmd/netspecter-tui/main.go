// Command netspecter-tui is a terminal workbench for passive OSINT
// investigations of domains, IP addresses and e-mail addresses.
//
// Usage:
//
//	netspecter-tui [flags] [TARGET]                interactive workbench
//	netspecter-tui scan [flags] TARGET...          Full Scans; text, --json or --jsonl; -l FILE|-
//	netspecter-tui investigate [flags] TARGET...   headless chaining, writes a session
//	netspecter-tui investigate --rescan SESSION    scan a case again, print what changed
//	netspecter-tui export [--format F] SESSION     md, json, csv, dot, mermaid, stix
//	netspecter-tui diff [--format F] OLD NEW       what changed between two sessions
//	netspecter-tui diff --since AGE SESSION        one session against its own history
//	netspecter-tui doctor [flags]                  check every source this machine relies on
//	netspecter-tui version | completion SHELL | man | help [COMMAND]
//
// The commands, their flags, help, completion and man page come from one
// table (commands.go); cli.go explains how to add a command.
package main

import (
	"os"

	// Imported for its init: no terminal queries at start-up. run calls
	// noquery.Restore first.
	_ "github.com/netspecter/netspecter-tui/internal/noquery"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
