package main

// The command line: one table of commands (commands.go), each with its own
// flag set built from its own flags plus the shared groups that apply to it.
// Help, usage errors, shell completion and the man page are all rendered from
// that table, so they cannot disagree.
//
// Adding a command: write its run function (func(ctx, options, args,
// streams) int, returning one of the exit codes below), add an entry to
// commands() with its usage line, summary, examples, the shared flag groups
// it takes and a flags func registering only its own flags. Nothing else:
// dispatch, --help, completion and the man page pick it up. A new shared flag
// goes into sharedGroups, in the group whose commands it applies to.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/internal/noquery"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// Exit codes: a contract (DESIGN.md, README "Exit status"). When several
// apply, the most severe wins: interrupted, then runtime error, then bad
// input, then some modules could not run.
const (
	exitOK          = 0   // done
	exitError       = 1   // runtime error
	exitUsage       = 2   // usage error or bad target
	exitPartial     = 3   // done, but some modules could not run (error or rate-limited)
	exitChanged     = 4   // --exit-on-change (investigate --rescan, diff) saw a change
	exitInterrupted = 130 // interrupted (SIGINT, SIGTERM)
)

// exitTable documents the exit codes in help, the man page and the README.
var exitTable = []struct {
	code int
	text string
}{
	{exitOK, "done"},
	{exitError, "runtime error (a file could not be read or written, the lab did not start, ...)"},
	{exitUsage, "usage error or bad target (reported on stderr; the good targets are still scanned)"},
	{exitPartial, "done, but some modules could not run (error or rate-limited)"},
	{exitChanged, "--exit-on-change (investigate --rescan, diff) saw a change"},
	{exitInterrupted, "interrupted (Ctrl-C, SIGTERM); what was finished is written"},
}

// worse returns the more severe of two exit codes (see the order above).
func worse(a, b int) int {
	rank := func(c int) int {
		switch c {
		case exitInterrupted:
			return 5
		case exitError:
			return 4
		case exitUsage:
			return 3
		case exitChanged:
			return 2
		case exitPartial:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// streams are a command's standard input, output and error.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// example is one line of a command's examples.
type example struct{ cmd, what string }

// command is one entry of the command table.
type command struct {
	name     string // "" is the interactive workbench (the root)
	usage    string // what follows the command name: "[flags] TARGET..."
	summary  string // one line
	long     string // a paragraph or two for --help and the man page
	examples []example
	shared   []string // names of the shared flag groups it takes (sharedGroups)
	flags    func(f *flagSet, o *options)
	args     string // what completes positional arguments: "", "file", "command", or words
	exits    []int  // exit codes it can return (for its --help)
	run      func(ctx context.Context, o options, args []string, s streams) int
}

// title is how the command is written: "netspecter-tui scan".
func (c *command) title() string {
	return strings.TrimSpace(progName + " " + c.name)
}

const progName = "netspecter-tui"

// sharedGroup is a set of flags that several commands take.
type sharedGroup struct {
	name, title string
	add         func(f *flagSet, o *options)
}

// flagSet is a flag.FlagSet that remembers what help and completion need:
// the group each flag belongs to, its second name (-o / --output), and the
// values it accepts.
type flagSet struct {
	*flag.FlagSet
	group   string              // group of the flags being added ("" = the command's own)
	groups  map[string]string   // flag name → group
	alias   map[string]string   // second name → first name
	choices map[string][]string // flag name → accepted values (completion)
	order   []string            // first names in the order added
}

func newFlagSet(name string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by run
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, groups: map[string]string{}, alias: map[string]string{}, choices: map[string][]string{}}
}

func (f *flagSet) added(name string) {
	f.groups[name] = f.group
	f.order = append(f.order, name)
}

// Bool, String, Int, Duration register a flag under one or two names
// ("o", "output"): the usage text may name its value in backquotes (`FILE`).
func (f *flagSet) Bool(p *bool, names, usage string) {
	n := strings.Split(names, ",")
	f.BoolVar(p, n[0], *p, usage)
	f.finish(n, usage)
}

func (f *flagSet) String(p *string, names, usage string, choices ...string) {
	n := strings.Split(names, ",")
	f.StringVar(p, n[0], *p, usage)
	f.finish(n, usage)
	if len(choices) > 0 {
		f.choices[n[0]] = choices
	}
}

func (f *flagSet) Int(p *int, names, usage string) {
	n := strings.Split(names, ",")
	f.IntVar(p, n[0], *p, usage)
	f.finish(n, usage)
}

func (f *flagSet) Duration(p *time.Duration, names, usage string) {
	n := strings.Split(names, ",")
	f.DurationVar(p, n[0], *p, usage)
	f.finish(n, usage)
}

func (f *flagSet) finish(names []string, usage string) {
	f.added(names[0])
	for _, a := range names[1:] {
		f.Var(f.Lookup(names[0]).Value, a, usage)
		f.alias[a] = names[0]
	}
}

// flagDoc is one flag as help, completion and the man page show it.
type flagDoc struct {
	names   []string // as typed: "-o", "--output"
	arg     string   // value placeholder ("FILE"), "" for a switch
	usage   string
	def     string // default shown, "" for none
	group   string
	choices []string
}

func (f *flagSet) docs() []flagDoc {
	second := map[string]string{}
	for a, n := range f.alias {
		second[n] = a
	}
	// A flag registered on the embedded FlagSet directly (not through
	// Bool/String/...) is still documented, after the others.
	order := append([]string(nil), f.order...)
	known := map[string]bool{}
	for _, n := range order {
		known[n] = true
	}
	f.VisitAll(func(fl *flag.Flag) {
		if !known[fl.Name] && f.alias[fl.Name] == "" {
			order = append(order, fl.Name)
		}
	})
	var out []flagDoc
	for _, n := range order {
		fl := f.Lookup(n)
		arg, usage := flag.UnquoteUsage(fl)
		if isBool(fl) {
			arg = ""
		} else if arg == "value" {
			arg = "V"
		}
		d := flagDoc{names: []string{dash(n)}, arg: arg, usage: usage, group: f.groups[n], choices: f.choices[n]}
		if a, ok := second[n]; ok {
			d.names = append(d.names, dash(a))
		}
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" && fl.DefValue != "0s" {
			d.def = fl.DefValue
		}
		out = append(out, d)
	}
	return out
}

func isBool(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// dash writes one-letter flags with one dash, others with two.
func dash(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// build returns the command's flag set bound to o.
func (c *command) build(o *options) *flagSet {
	f := newFlagSet(c.title())
	if c.flags != nil {
		c.flags(f, o)
	}
	for _, g := range sharedGroups {
		for _, name := range c.shared {
			if name == g.name {
				f.group = g.name
				g.add(f, o)
			}
		}
	}
	f.group = ""
	f.Bool(new(bool), "h,help", "show this help")
	return f
}

// parseInterspersed parses flags that may appear before or after positional
// arguments ("scan nova-parcels.com --json"); "--" ends the flags.
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

// lookup finds a command by name (nil if there is none).
func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run is the whole program: it picks the command, parses its flags and runs
// it. Help asked for goes to stdout; usage errors to stderr with exit 2.
func run(args []string, stdout, stderr io.Writer) int {
	noquery.Restore() // TERM as the program was started with; see package noquery
	ctx, stop := signalContext()
	defer stop()
	return runWith(ctx, args, streams{in: os.Stdin, out: stdout, err: stderr})
}

func runWith(ctx context.Context, args []string, s streams) int {
	c := lookup("")
	if len(args) > 0 {
		if sub := lookup(args[0]); sub != nil && args[0] != "" {
			c, args = sub, args[1:]
		}
	}
	var o options
	fs := c.build(&o)
	if c.name == "" {
		fs.Bool(&o.version, "version", "print the version and exit")
	}
	pos, err := parseInterspersed(fs.FlagSet, args)
	if errors.Is(err, flag.ErrHelp) || (err == nil && fs.Lookup("help").Value.String() == "true") {
		writeHelp(s.out, c)
		return exitOK
	}
	if err != nil {
		return usageError(s.err, c, "%v", err)
	}
	if o.version {
		return cmdVersion(ctx, o, nil, s)
	}
	if o.demo && o.world != "" {
		return usageError(s.err, c, "give --demo or --world, not both")
	}
	code := c.run(ctx, o, pos, s)
	if ctx.Err() != nil && code != exitOK {
		// Whatever failed, it failed because of the interrupt.
		return exitInterrupted
	}
	return code
}

// usageError reports a usage error on stderr (escaped like errorf) and
// returns exitUsage.
func usageError(w io.Writer, c *command, format string, a ...any) int {
	fmt.Fprint(w, sanitize.Text("error: "+fmt.Sprintf(format, a...))+"\n")
	fmt.Fprintf(w, "usage: %s %s\nRun '%s --help' for the flags and examples.\n", c.title(), c.usage, c.title())
	return exitUsage
}

// errorf reports a runtime error on stderr and returns exitError. Errors
// name values from the network and from session files: the whole message
// is escaped, so it cannot run terminal sequences.
func errorf(w io.Writer, format string, a ...any) int {
	fmt.Fprint(w, sanitize.Text("error: "+fmt.Sprintf(format, a...))+"\n")
	return exitError
}

// writeHelp prints a command's help: usage, what it does, its flags (its
// own first, then each shared group), examples and exit codes.
func writeHelp(w io.Writer, c *command) {
	var o options
	fs := c.build(&o)
	if c.name == "" {
		fs.Bool(&o.version, "version", "print the version and exit")
	}
	fmt.Fprintf(w, "%s — %s\n\nUsage:\n  %s %s\n", c.title(), c.summary, c.title(), c.usage)
	if c.name == "" {
		fmt.Fprintf(w, "  %s COMMAND [flags] [ARGS]\n\nCommands:\n", progName)
		for _, sub := range commands() {
			if sub.name != "" {
				fmt.Fprintf(w, "  %-13s %s\n", sub.name, sub.summary)
			}
		}
	}
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", wrap(c.long, 78, ""))
	}
	docs := fs.docs()
	sections := []struct{ group, title string }{{"", "Flags"}}
	for _, g := range sharedGroups {
		sections = append(sections, struct{ group, title string }{g.name, g.title})
	}
	for _, sec := range sections {
		var rows []flagDoc
		for _, d := range docs {
			if d.group == sec.group {
				rows = append(rows, d)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", sec.title)
		for _, d := range rows {
			left := "  " + strings.Join(d.names, ", ")
			if d.arg != "" {
				left += " " + d.arg
			}
			text := d.usage
			if d.def != "" {
				text += " (default " + d.def + ")"
			}
			if len(left) > 24 {
				fmt.Fprintf(w, "%s\n%s\n", left, wrap(text, 78, strings.Repeat(" ", 26)))
			} else {
				fmt.Fprintf(w, "%-26s%s\n", left, strings.TrimLeft(wrap(text, 78, strings.Repeat(" ", 26)), " "))
			}
		}
	}
	if len(c.examples) > 0 {
		fmt.Fprintf(w, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  # %s\n  %s\n", e.what, e.cmd)
		}
	}
	if len(c.exits) > 0 {
		fmt.Fprintf(w, "\nExit status:\n")
		for _, e := range exitTable {
			for _, code := range c.exits {
				if code == e.code {
					fmt.Fprintf(w, "  %-4d %s\n", e.code, e.text)
				}
			}
		}
	}
	if c.name == "" {
		fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags and examples.\n", progName)
	}
}

// wrap breaks text into lines of at most width columns, each prefixed with
// indent; blank lines in text separate paragraphs.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	for i, para := range strings.Split(text, "\n\n") {
		if i > 0 {
			b.WriteString("\n\n")
		}
		line := indent
		for _, word := range strings.Fields(para) {
			if len(line) > len(indent) && len(line)+1+len(word) > width {
				b.WriteString(line + "\n")
				line = indent
			}
			if len(line) > len(indent) {
				line += " "
			}
			line += word
		}
		b.WriteString(line)
	}
	return b.String()
}

// commandNames lists the named commands, sorted.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	sort.Strings(names)
	return names
}
