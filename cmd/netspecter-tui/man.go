package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// roff escapes text for a man page: backslashes, hyphens of options, and a
// leading dot or quote that roff would take for a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// writeMan writes the man page netspecter-tui(1), generated from the
// command table like --help.
func writeMan(w io.Writer) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	v := currentVersion()
	date := time.Now().UTC().Format("2006-01-02") // stamped builds use the commit's
	if len(v.Time) >= 10 {
		date = v.Time[:10]
	}
	p(`.TH NETSPECTER\-TUI 1 "%s" "%s %s" "User Commands"`, date, progName, roff(v.Version))
	p(".SH NAME")
	docs := allDocs()
	p(`%s \- %s`, roff(progName), roff(docs[0].summary))
	p(".SH SYNOPSIS")
	for i, c := range docs {
		if i > 0 {
			p(".br")
		}
		p(".B %s", roff(c.title()))
		if c.usage != "" {
			p("%s", roff(c.usage))
		}
	}
	p(".SH DESCRIPTION")
	p("%s", roff(docs[0].long))
	p(".PP")
	p("%s", roff("Every scan is passive: public records, plus the site's own certificate and headers unless --passive-strict. "+
		"With --demo or --world the tool talks only to an offline lab on loopback."))
	p(".SH COMMANDS")
	for _, c := range docs {
		if c.name == "" {
			p(`.SS "%s (no command)"`, roff(progName+" "+c.usage))
		} else {
			p(`.SS "%s %s"`, roff(c.name), roff(c.usage))
		}
		p("%s", roff(c.summary+"."))
		if c.long != "" && c.name != "" {
			p(".PP")
			p("%s", roff(c.long))
		}
		for _, d := range c.flags {
			if d.group != "" || d.names[0] == "-h" {
				continue
			}
			manFlag(p, d)
		}
		var groups []string
		for _, g := range sharedGroups {
			for _, name := range c.shared {
				if name == g.name {
					groups = append(groups, g.name)
				}
			}
		}
		if len(groups) > 0 {
			p(".PP")
			p("Also takes the shared %s flags.", roff(strings.Join(groups, ", ")))
		}
		if len(c.examples) > 0 {
			p(".PP")
			p("Examples:")
			for _, e := range c.examples {
				p(".PP")
				p(".RS 4")
				p(".nf")
				p("%s", roff(e.cmd))
				p(".fi")
				p(".RE")
			}
		}
	}
	p(".SH SHARED FLAGS")
	var o options
	fs := newFlagSet("shared")
	for _, g := range sharedGroups {
		p(`.SS "%s"`, roff(g.title))
		before := len(fs.order)
		fs.group = g.name
		g.add(fs, &o)
		for _, d := range fs.docs()[before:] {
			manFlag(p, d)
		}
	}
	p(".SH EXIT STATUS")
	for _, e := range exitTable {
		p(".TP")
		p(".B %d", e.code)
		p("%s", roff(e.text))
	}
	p(".SH ENVIRONMENT")
	for _, e := range [][2]string{
		{"NO_COLOR", "no colours in the text output"},
		{"NETSPECTER_VIRUSTOTAL_KEY, NETSPECTER_ABUSEIPDB_KEY, NETSPECTER_CERTSPOTTER_KEY", "API keys (they win over the config file)"},
		{"XDG_CONFIG_HOME", "where config.toml is looked for (netspecter-tui/config.toml)"},
		{"XDG_STATE_HOME", "where the workbench autosaves sessions (netspecter-tui/)"},
	} {
		p(".TP")
		p(".B %s", roff(e[0]))
		p("%s", roff(e[1]))
	}
	p(".SH FILES")
	p(".TP")
	p(".I ~/.config/netspecter\\-tui/config.toml")
	p("resolver, timeout, geoip_dir, asn_drop, DNSBL zones, API keys, rate limits (see the README)")
	p(".SH SEE ALSO")
	p(".BR geoipupdate (1),")
	p(".BR jq (1),")
	p(".BR dot (1)")
	_, err := io.WriteString(w, b.String())
	return err
}

func manFlag(p func(string, ...any), d flagDoc) {
	p(".TP")
	var names []string
	for _, n := range d.names {
		names = append(names, `\fB`+roff(n)+`\fR`)
	}
	head := strings.Join(names, ", ")
	if d.arg != "" {
		head += ` \fI` + roff(d.arg) + `\fR`
	}
	p("%s", head)
	text := d.usage
	if d.def != "" {
		text += " (default " + d.def + ")"
	}
	p("%s", roff(text))
}
