package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// options are the parsed flags of whichever command runs; each command's
// flag set binds only the fields that apply to it.
type options struct {
	// shared: lab
	demo    bool
	world   string
	latency time.Duration
	faults  string
	// shared: sources
	resolver      string
	timeout       time.Duration
	configPath    string
	geoipDir      string
	passiveStrict bool
	proxy         string
	// shared: session, output
	session string
	noColor bool

	version bool // root --version

	// scan
	json    bool
	jsonl   bool
	modules string
	// scan, investigate
	list   string // -l FILE|-
	silent bool
	output string
	// investigate, workbench, scan
	concurrency int
	// investigate
	depth        int
	follow       string
	maxScans     int
	rescan       string
	exitOnChange bool // investigate --rescan, diff
	// export, diff
	format string
	// export
	force bool
	// diff
	since string
}

// sharedGroups are the flags several commands take; a command lists the
// groups that apply to it in command.shared.
var sharedGroups = []sharedGroup{
	{name: "lab", title: "Lab flags (an offline internet on loopback; no network at all)", add: func(f *flagSet, o *options) {
		f.Bool(&o.demo, "demo", "run against the embedded demo world (the seed's nova-parcels case)")
		f.String(&o.world, "world", "run against a lab world `FILE` (format: testdata/lab/README.md)")
		f.Duration(&o.latency, "latency", "lab only: delay every upstream answer by `D` (e.g. 200ms)")
		f.String(&o.faults, "faults", "lab only: inject faults `F`, e.g. drop=0.1,servfail=0.1,jitter=200ms,seed=7; network conditions nxdomain=rewrite, resolver=refused, block=PORT (repeatable), tls=intercept, dnsbl=refused")
	}},
	{name: "sources", title: "Source flags", add: func(f *flagSet, o *options) {
		f.String(&o.resolver, "resolver", "`ADDR` of the recursive DNS resolver: host:port, or https://HOST/dns-query for DNS over HTTPS (through --proxy too) (default: the first nameserver of /etc/resolv.conf)")
		f.String(&o.proxy, "proxy", "send every HTTP and WHOIS connection through the proxy `URL` (http://HOST:PORT or socks5://HOST:PORT; default: HTTPS_PROXY or ALL_PROXY)")
		f.Duration(&o.timeout, "timeout", "timeout `D` of each module of a scan (default 20s)")
		f.String(&o.configPath, "config", "config `FILE` (default $XDG_CONFIG_HOME/netspecter-tui/config.toml)")
		f.String(&o.geoipDir, "geoip-dir", "`DIR` holding GeoLite2-City.mmdb / GeoLite2-ASN.mmdb (default: the usual GeoIP folders)")
		f.Bool(&o.passiveStrict, "passive-strict", "never contact the target itself (no TLS handshake, no HTTP GET); certificate facts come from CT")
	}},
	{name: "session", title: "Session flags", add: func(f *flagSet, o *options) {
		f.String(&o.session, "session", "session `FILE`: reopened if it exists, else created; autosaved after each scan")
	}},
	{name: "output", title: "Output flags", add: func(f *flagSet, o *options) {
		f.Bool(&o.noColor, "no-color", "no colours (NO_COLOR is honoured too)")
	}},
}

// commands is the command table; the entry named "" is the workbench.
func commands() []*command {
	scanExits := []int{exitOK, exitError, exitUsage, exitPartial, exitInterrupted}
	return []*command{
		{
			name:    "",
			usage:   "[flags] [TARGET]",
			summary: "passive OSINT workbench for domains, IP addresses and e-mail addresses",
			long: "Without a command, opens the interactive workbench: a pivot tree of every value the scans " +
				"extracted (enter on a node scans it), the selected node's Full Scan, clusters, and exports.",
			examples: []example{
				{progName + " --demo nova-parcels.com", "the workbench on the embedded demo world (no network)"},
				{progName + " --session case.json", "reopen (or start) a saved investigation"},
				{progName + " --passive-strict example.com", "never contact the target itself"},
			},
			shared: []string{"lab", "sources", "session", "output"},
			flags: func(f *flagSet, o *options) {
				o.concurrency = 4
				f.Int(&o.concurrency, "concurrency", "`N` scans at once in the workbench")
			},
			exits: []int{exitOK, exitError, exitUsage},
			run:   cmdWorkbench,
		},
		{
			name:    "scan",
			usage:   "[flags] TARGET... | -l FILE|-",
			summary: "Full Scans of one or more targets: text, --json or --jsonl",
			long: "Runs a Full Scan of each target (a domain, IP address or e-mail address) and prints the report. " +
				"Targets come from the arguments and from -l (a file, or - for stdin: one per line, blank lines and # comments skipped). " +
				"A bad target is reported on stderr and skipped; the others are still scanned and the exit status is 2. " +
				"--jsonl writes one compact object per target as each finishes (the scan --json contract), for jq and other tools.",
			examples: []example{
				{progName + " scan --demo nova-parcels.com", "the demo case as text"},
				{progName + " scan --demo --json nova-parcels.com | jq .assessment", "one JSON object"},
				{"printf 'nova-parcels.com\\nmeridian-freight.com\\n' | " + progName + " scan --demo --jsonl -l - | jq -r '[.target.value, .assessment.level] | @tsv'", "a list from a pipe, one JSON line per target"},
			},
			shared: []string{"lab", "sources", "output"},
			flags: func(f *flagSet, o *options) {
				f.Bool(&o.json, "json", "print each report as one indented JSON object (the contract in README)")
				f.Bool(&o.jsonl, "jsonl", "print one compact JSON object per line, per target, as each finishes")
				f.String(&o.modules, "modules", "run only these modules, comma-separated `IDS` ("+strings.Join(recon.ModuleIDs, ", ")+")")
				f.String(&o.list, "l,list", "read targets from `FILE`, one per line (- reads stdin)")
				f.String(&o.output, "o,output", "write the output to `FILE` (atomically, when done) instead of stdout")
				f.Bool(&o.silent, "q,silent", "no progress or status on stderr (errors are still reported)")
				o.concurrency = 4
				f.Int(&o.concurrency, "concurrency", "`N` targets scanned at once")
			},
			exits: scanExits,
			run:   cmdScan,
		},
		{
			name:    "investigate",
			usage:   "[flags] TARGET... | -l FILE|-",
			summary: "headless chaining: scan, follow pivots, write the session",
			long: "Scans each target, follows the pivots of the kinds given by --follow up to --depth hops, and writes " +
				"the session (clusters included) to -o. Several targets become several roots of one session. " +
				"-o naming an existing session continues it; any other existing file there is left untouched. " +
				"The session is autosaved while it runs; Ctrl-C stops it and still writes what was found.",
			examples: []example{
				{progName + " investigate --demo --depth 2 -o case.json nova-parcels.com", "the demo case, two hops deep"},
				{progName + " investigate --demo -o case.json nova-parcels.com meridian-freight.com", "two roots in one session"},
				{"cat suspects.txt | " + progName + " investigate --demo -l - -o case.json", "targets from a pipe"},
				{progName + " investigate --demo --rescan case.json --exit-on-change", "scan the case again; exit 4 if anything changed"},
			},
			shared: []string{"lab", "sources", "session"},
			flags: func(f *flagSet, o *options) {
				o.depth, o.follow, o.maxScans, o.concurrency = 2, "san,ip", 50, 32
				f.Int(&o.depth, "depth", "follow pivots `N` hops deep from each target")
				f.String(&o.follow, "follow", "pivot `KINDS` to follow: san,ip,ns,mx,subdomain,ptr,cname,hostname")
				f.Int(&o.maxScans, "max-scans", "stop after `N` scans (per target)")
				f.Int(&o.concurrency, "concurrency", "`N` scans at once (per-service rate limits still apply)")
				f.String(&o.output, "o,output", "write the session to `FILE` (default: --session, else ./investigation-<target>.json)")
				f.String(&o.list, "l,list", "read targets from `FILE`, one per line (- reads stdin)")
				f.Bool(&o.silent, "q,silent", "no progress on stderr (errors are still reported)")
				f.String(&o.rescan, "rescan", "scan every scanned entity of this `SESSION` again, keep the earlier reports in its history and print what changed")
				f.Bool(&o.exitOnChange, "exit-on-change", "with --rescan: exit with status 4 when anything changed")
			},
			exits: []int{exitOK, exitError, exitUsage, exitPartial, exitChanged, exitInterrupted},
			run:   cmdInvestigate,
		},
		{
			name:    "export",
			usage:   "[--format F] [-o FILE] SESSION",
			summary: "write a saved session as md, json, csv, dot, mermaid or stix",
			examples: []example{
				{progName + " export --format md case.json > case.md", "a Markdown report"},
				{progName + " export --format stix -o case.stix.json case.json", "a STIX 2.1 bundle"},
				{progName + " export --format dot case.json | dot -Tsvg > case.svg", "the pivot graph drawn by Graphviz"},
			},
			flags: func(f *flagSet, o *options) {
				o.format = "md"
				f.String(&o.format, "format", "output format `F`: md, json, csv, dot, mermaid or stix", "md", "json", "csv", "dot", "mermaid", "stix")
				f.String(&o.output, "o,output", "write to `FILE`, atomically (default: stdout); never over the session itself or another session file")
				f.Bool(&o.force, "force", "with -o: write even over the session being exported or another session file")
			},
			args:  "file",
			exits: []int{exitOK, exitError, exitUsage, exitInterrupted},
			run:   cmdExport,
		},
		{
			name:    "diff",
			usage:   "[--format md|json] [--exit-on-change] OLD NEW | --since AGE SESSION",
			summary: "what changed between two sessions, or in one since a time",
			long: "Compares two sessions of a case (entities added and removed, typed facts per module, verdicts, clusters), " +
				"or one session with itself as it was some time ago, from its history (--since).",
			examples: []example{
				{progName + " diff old.json new.json", "a readable Markdown report"},
				{progName + " diff --format json --since 7d case.json | jq .changed", "the last week of one case, as JSON"},
				{progName + " diff --exit-on-change old.json new.json >/dev/null || echo changed", "for scripts: exit 4 when anything changed"},
			},
			flags: func(f *flagSet, o *options) {
				o.format = "md"
				f.String(&o.format, "format", "output format `F`: md (a readable report) or json (the contract in README)", "md", "json")
				f.String(&o.since, "since", "one SESSION: compare it with itself as it was `AGE` ago (7d, 2w, 36h) or at a date (2026-11-20), from its history")
				f.Bool(&o.exitOnChange, "exit-on-change", "exit with status 4 when anything changed")
			},
			args:  "file",
			exits: []int{exitOK, exitError, exitUsage, exitChanged},
			run:   cmdDiff,
		},
		{
			name:    "version",
			usage:   "",
			summary: "print the version, VCS revision and Go version (also: --version)",
			examples: []example{
				{progName + " version", "e.g. v1.2.0, or a pseudo-version with the commit for a checkout build"},
			},
			exits: []int{exitOK},
			run:   cmdVersion,
		},
		{
			name:    "completion",
			usage:   "bash|zsh|fish",
			summary: "print a shell completion script",
			examples: []example{
				{"source <(" + progName + " completion bash)", "bash, this shell"},
				{progName + " completion zsh > \"${fpath[1]}/_" + progName + "\"", "zsh, from the next shell on"},
				{progName + " completion fish > ~/.config/fish/completions/" + progName + ".fish", "fish"},
			},
			args:  "bash zsh fish",
			exits: []int{exitOK, exitUsage},
			run:   cmdCompletion,
		},
		{
			name:    "man",
			usage:   "",
			summary: "print the man page (roff)",
			examples: []example{
				{progName + " man | man -l -", "read it"},
				{progName + " man > /usr/local/share/man/man1/" + progName + ".1", "install it"},
			},
			exits: []int{exitOK},
			run:   cmdMan,
		},
		{
			name:    "doctor",
			usage:   "[flags]",
			summary: "check every source the tool relies on, and say what to do about each problem",
			long: "Checks in a few seconds the resolver (and whether it tells the truth about names that do not exist), " +
				"the blocklists' test points, WHOIS on TCP port 43, each HTTPS API (Cert Spotter, crt.sh, InternetDB, " +
				"the RDAP bootstrap), the GeoIP databases, the API keys and the proxy, and prints one line per source " +
				"with what to do for each problem. Exit status 0 when every source is usable, 3 when one is not.",
			examples: []example{
				{progName + " doctor", "check this machine's network"},
				{progName + " doctor --demo --faults block=43", "the lab behind a firewall that blocks WHOIS"},
				{progName + " doctor --proxy socks5://127.0.0.1:9050 --resolver https://dns.quad9.net/dns-query", "check a Tor setup"},
			},
			shared: []string{"lab", "sources", "output"},
			flags: func(f *flagSet, o *options) {
				f.Bool(&o.json, "json", "print the checks as a JSON array")
			},
			exits: []int{exitOK, exitError, exitUsage, exitPartial, exitInterrupted},
			run:   cmdDoctor,
		},
		{
			name:     "help",
			usage:    "[COMMAND]",
			summary:  "show the help of a command",
			examples: []example{{progName + " help scan", "the flags and examples of scan"}},
			args:     "command",
			exits:    []int{exitOK, exitUsage},
			run:      cmdHelp,
		},
	}
}

// signalContext is cancelled by SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func cmdHelp(_ context.Context, _ options, args []string, s streams) int {
	c := lookup("")
	if len(args) > 0 {
		if c = lookup(args[0]); c == nil || args[0] == "" || len(args) > 1 {
			return usageError(s.err, lookup("help"), "unknown command %q (commands: %v)", args[0], commandNames())
		}
	}
	writeHelp(s.out, c)
	return exitOK
}

func cmdCompletion(_ context.Context, _ options, args []string, s streams) int {
	if len(args) != 1 {
		return usageError(s.err, lookup("completion"), "give one shell: bash, zsh or fish")
	}
	var err error
	switch args[0] {
	case "bash":
		err = writeBashCompletion(s.out)
	case "zsh":
		err = writeZshCompletion(s.out)
	case "fish":
		err = writeFishCompletion(s.out)
	default:
		return usageError(s.err, lookup("completion"), "unknown shell %q: bash, zsh or fish", args[0])
	}
	if err != nil {
		return errorf(s.err, "%v", err)
	}
	return exitOK
}

func cmdMan(_ context.Context, _ options, args []string, s streams) int {
	if len(args) != 0 {
		return usageError(s.err, lookup("man"), "man takes no arguments")
	}
	if err := writeMan(s.out); err != nil {
		return errorf(s.err, "%v", err)
	}
	return exitOK
}

func cmdVersion(_ context.Context, _ options, args []string, s streams) int {
	if len(args) != 0 {
		return usageError(s.err, lookup("version"), "version takes no arguments")
	}
	fmt.Fprint(s.out, currentVersion().String())
	return exitOK
}
