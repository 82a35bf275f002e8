// Command netspecter-tui is a terminal workbench for passive OSINT
// investigations of domains, IP addresses and e-mail addresses.
//
// Usage:
//
//	netspecter-tui [flags] [TARGET]              interactive workbench
//	netspecter-tui scan [flags] TARGET           one Full Scan; text, or --json
//	netspecter-tui investigate [flags] TARGET    headless chaining, writes a session
//	netspecter-tui export [--format F] SESSION   md, json, csv, dot, mermaid, stix
//	netspecter-tui diff [--format F] OLD NEW     what changed between two sessions
//
// Run with --help for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitChanged: --exit-on-change saw a change (diff, investigate --rescan).
	exitChanged = 4
)

// options are the flags shared by every command.
type options struct {
	demo          bool
	world         string
	latency       time.Duration
	faults        string
	session       string
	resolver      string
	timeout       time.Duration
	configPath    string
	geoipDir      string
	passiveStrict bool
	noColor       bool

	// scan
	json    bool
	modules string
	// investigate
	depth       int
	follow      string
	maxScans    int
	concurrency int
	output      string
	rescan      string
	// export, diff
	format string
	// diff
	since        string
	exitOnChange bool
}

func commonFlags(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.demo, "demo", false, "run against the embedded lab world (the seed's nova-parcels case); no network")
	fs.StringVar(&o.world, "world", "", "run against a lab world file (see testdata/lab/README.md); no network")
	fs.DurationVar(&o.latency, "latency", 0, "lab only: delay every upstream answer by this much (e.g. 200ms)")
	fs.StringVar(&o.faults, "faults", "", "lab only: inject faults, e.g. drop=0.1,servfail=0.1,jitter=200ms[,seed=7]")
	fs.StringVar(&o.session, "session", "", "session file: reopened if it exists, else created; autosaved after each scan")
	fs.StringVar(&o.resolver, "resolver", "", "recursive DNS resolver host:port (default: the first nameserver of /etc/resolv.conf)")
	fs.DurationVar(&o.timeout, "timeout", 0, "timeout of each module of a scan (default 20s)")
	fs.StringVar(&o.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/netspecter-tui/config.toml)")
	fs.StringVar(&o.geoipDir, "geoip-dir", "", "folder with GeoLite2-City.mmdb / GeoLite2-ASN.mmdb (default: the usual GeoIP folders)")
	fs.BoolVar(&o.passiveStrict, "passive-strict", false, "never contact the target itself (no TLS handshake, no HTTP GET); certificate facts come from CT")
	fs.BoolVar(&o.noColor, "no-color", false, "no colours (also honoured: NO_COLOR)")
}

const usageText = `netspecter-tui — passive OSINT workbench for domains, IP addresses and e-mail addresses

Usage:
  netspecter-tui [flags] [TARGET]              interactive workbench (TARGET optional)
  netspecter-tui scan [flags] TARGET           one Full Scan; text, or --json
  netspecter-tui investigate [flags] TARGET... headless chaining: scan, follow pivots, write the session
  netspecter-tui export [--format F] [-o FILE] SESSION
                                               F: md, json, csv, dot, mermaid, stix

Try it offline:  netspecter-tui --demo nova-parcels.com
`

// parseInterspersed parses flags that may appear before or after positional
// arguments ("scan nova-parcels.com --json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		switch args[0] {
		case "scan", "investigate", "export", "diff", "help", "version":
			cmd, args = args[0], args[1:]
		}
	}
	var o options
	fs := flag.NewFlagSet("netspecter-tui "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o)
	switch cmd {
	case "scan":
		fs.BoolVar(&o.json, "json", false, "print the report as one JSON object (the contract in README)")
		fs.StringVar(&o.modules, "modules", "", "run only these modules, comma-separated (dns,whois,ssl,geoip,threat,ports,email,subdomains,headers)")
	case "investigate":
		fs.IntVar(&o.depth, "depth", 2, "how many pivot hops to follow from the target")
		fs.StringVar(&o.follow, "follow", "san,ip", "pivot kinds to follow: san,ip,ns,mx,subdomain,ptr,cname,hostname")
		fs.IntVar(&o.maxScans, "max-scans", 50, "stop after this many scans (per target)")
		fs.IntVar(&o.concurrency, "concurrency", 16, "scans at once (per-service rate limits still apply)")
		fs.StringVar(&o.output, "o", "", "write the session to this file (default: --session, else ./investigation-<target>.json; with --rescan: SESSION itself)")
		fs.StringVar(&o.rescan, "rescan", "", "scan every scanned entity of this session again, keep the earlier reports in its history and print what changed")
		fs.BoolVar(&o.exitOnChange, "exit-on-change", false, "with --rescan: exit with status 4 when anything changed")
	case "export":
		fs.StringVar(&o.format, "format", "md", "md, json, csv, dot, mermaid or stix")
		fs.StringVar(&o.output, "o", "", "write to this file (default: stdout)")
	case "diff":
		fs.StringVar(&o.format, "format", "md", "md (a readable report) or json (the contract in README)")
		fs.StringVar(&o.since, "since", "", "one SESSION: compare it with itself as it was this long ago (7d, 2w, 36h) or at this date (2026-11-20), from its history")
		fs.BoolVar(&o.exitOnChange, "exit-on-change", false, "exit with status 4 when anything changed")
	default:
		fs.IntVar(&o.concurrency, "concurrency", 4, "scans at once in the workbench")
	}
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fmt.Fprintf(stderr, "\nFlags of %q:\n", strings.TrimSpace("netspecter-tui "+cmd))
		fs.PrintDefaults()
	}
	if cmd == "help" {
		fs.Usage()
		return exitOK
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "netspecter-tui", version)
		return exitOK
	}
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if o.demo && o.world != "" {
		fmt.Fprintln(stderr, "error: give --demo or --world, not both")
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "scan":
		return cmdScan(ctx, o, pos, stdout, stderr)
	case "investigate":
		return cmdInvestigate(ctx, o, pos, stdout, stderr)
	case "export":
		return cmdExport(o, pos, stdout, stderr)
	case "diff":
		return cmdDiff(o, pos, stdout, stderr)
	}
	return cmdWorkbench(ctx, o, pos, stdout, stderr)
}

// version is set by the build (-ldflags "-X main.version=...").
var version = "dev"

func errorf(w io.Writer, format string, a ...any) int {
	// Errors name values from the network and from session files: the
	// whole message is escaped, so it cannot run terminal sequences.
	fmt.Fprint(w, sanitize.Text("error: "+fmt.Sprintf(format, a...))+"\n")
	return exitError
}
