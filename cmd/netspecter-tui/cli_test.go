package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestHelpOnStdout: help that is asked for goes to stdout with exit 0, and
// each command lists its own flags and only the shared ones that apply.
func TestHelpOnStdout(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		notWant []string
	}{
		{[]string{"scan", "--help"}, []string{"Usage:\n  netspecter-tui scan", "--jsonl", "-l, --list FILE", "-q, --silent", "--demo", "--resolver", "--no-color", "Examples:", "Exit status:", "130"}, []string{"--session", "--depth", "--format"}},
		{[]string{"scan", "-h"}, []string{"--jsonl"}, []string{"--session"}},
		{[]string{"help", "scan"}, []string{"--jsonl"}, []string{"--session"}},
		{[]string{"investigate", "--help"}, []string{"--depth", "--follow", "-l, --list FILE", "--session", "--demo"}, []string{"--jsonl", "--format", "--no-color"}},
		{[]string{"export", "--help"}, []string{"--format F", "-o, --output FILE"}, []string{"--demo", "--resolver", "--session", "--timeout"}},
		{[]string{"--help"}, []string{"Commands:", "scan", "investigate", "export", "completion", "--session", "--version"}, []string{"--jsonl", "--depth"}},
		{[]string{"help"}, []string{"Commands:"}, nil},
		{[]string{"completion", "--help"}, []string{"bash|zsh|fish", "source <("}, []string{"--demo"}},
		{[]string{"version", "--help"}, []string{"Usage:"}, []string{"--demo"}},
	}
	for _, tt := range tests {
		out, errs, code := cli(t, tt.args...)
		if code != exitOK || errs != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", tt.args, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help lacks %q", tt.args, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(out, "\n  "+w) { // a flag row
				t.Errorf("%v: help lists %q, which does not apply", tt.args, w)
			}
		}
	}
}

// TestUsageErrorsOnStderr: a usage error says what is wrong and how to get
// help, on stderr, with exit 2 and nothing on stdout.
func TestUsageErrorsOnStderr(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--bogus", "a.com"}, "-bogus"},
		{[]string{"scan", "--session", "x.json", "a.com"}, "-session"}, // not a scan flag
		{[]string{"export", "--demo", "x.json"}, "-demo"},
		{[]string{"scan", "--demo"}, "no target"},
		{[]string{"completion"}, "bash, zsh or fish"},
		{[]string{"completion", "tcsh"}, "tcsh"},
		{[]string{"help", "nosuch"}, "nosuch"},
		{[]string{"version", "extra"}, "no arguments"},
		{[]string{"--demo", "--world", "x.json"}, "not both"},
		{[]string{"scan", "--depth", "2", "a.com"}, "-depth"},
	}
	for _, tt := range tests {
		out, errs, code := cli(t, tt.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "--help") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, stderr naming %q and --help", tt.args, code, out, errs, tt.want)
		}
	}
}

func TestWorse(t *testing.T) {
	tests := []struct{ a, b, want int }{
		{exitOK, exitPartial, exitPartial},
		{exitPartial, exitUsage, exitUsage},
		{exitUsage, exitPartial, exitUsage},
		{exitUsage, exitError, exitError},
		{exitError, exitInterrupted, exitInterrupted},
		{exitInterrupted, exitOK, exitInterrupted},
		{exitChanged, exitPartial, exitChanged},
	}
	for _, tt := range tests {
		if got := worse(tt.a, tt.b); got != tt.want {
			t.Errorf("worse(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestReadVersion(t *testing.T) {
	vcs := func(rev, time, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: time}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "dbbcb7deed85071c04c6b1a2609098c761868ed7"
	tests := []struct {
		name           string
		bi             *debug.BuildInfo
		stamp, stRev   string
		version, lines string
	}{
		{"go install @tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "", "", "v1.2.0", ""},
		{"go build in a clone", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261126213139-dbbcb7deed85+dirty"}, Settings: vcs(rev, "2026-11-26T21:31:39Z", "true")},
			"", "", "v0.0.0-20261126213139-dbbcb7deed85+dirty", "revision " + rev + " (2026-11-26T21:31:39Z) with uncommitted changes"},
		{"devel with vcs", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "", "false")}, "", "", "devel-dbbcb7deed85", "revision " + rev + "\n"},
		{"stamped by scripts", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v1.3.0-2-gdbbcb7d-dirty", rev + "-dirty", "v1.3.0-2-gdbbcb7d-dirty", "revision " + rev + " with uncommitted changes"},
		{"nothing known", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "", "(devel, built without VCS information", ""},
		{"no build info", nil, "", "", "(devel, built without VCS information", ""},
	}
	for _, tt := range tests {
		v := readVersion(tt.bi, tt.stamp, tt.stRev)
		s := v.String()
		if !strings.HasPrefix(s, "netspecter-tui "+tt.version) || !strings.Contains(s, tt.lines) || !strings.Contains(s, "built with go") {
			t.Errorf("%s: %q; want version %q and %q", tt.name, s, tt.version, tt.lines)
		}
		if strings.Contains(strings.SplitN(s, "\n", 2)[0], " dev\n") || v.Version == "dev" {
			t.Errorf("%s: says dev", tt.name)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, errs, code := cli(t, args...)
		if code != exitOK || errs != "" || !strings.HasPrefix(out, "netspecter-tui ") || !strings.Contains(out, "built with go") {
			t.Errorf("%v: exit %d, %q %q", args, code, out, errs)
		}
	}
}

// TestBashCompletion sources the generated script in bash and asks it to
// complete: commands, a command's own flags (not another's), flag values
// and file names.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, errs, code := cli(t, "completion", "bash")
	if code != 0 || errs != "" || !strings.Contains(script, "complete -o default") {
		t.Fatalf("completion bash: exit %d %q", code, errs)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "case.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line    string // words typed; the last is being completed
		want    []string
		notWant []string
	}{
		{"netspecter-tui sc", []string{"scan"}, nil},
		{"netspecter-tui ", []string{"scan", "investigate", "export", "completion", "man", "version"}, nil},
		{"netspecter-tui scan --js", []string{"--json", "--jsonl"}, nil},
		{"netspecter-tui scan --se", nil, []string{"--session"}},
		{"netspecter-tui investigate --se", []string{"--session"}, nil},
		{"netspecter-tui export --format m", []string{"md", "mermaid"}, []string{"json"}},
		{"netspecter-tui export ca", []string{"case.json"}, nil},
		{"netspecter-tui completion ", []string{"bash", "zsh", "fish"}, nil},
		{"netspecter-tui --d", []string{"--demo"}, []string{"--depth"}},
	}
	for _, tt := range tests {
		words := strings.Split(tt.line, " ")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := "source " + path + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" + strconv.Itoa(len(words)-1) + "; _netspecter_tui; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tt.line, err, out)
		}
		got := strings.Fields(string(out))
		for _, w := range tt.want {
			if !contains(got, w) {
				t.Errorf("%q completes to %v, lacks %q", tt.line, got, w)
			}
		}
		for _, w := range tt.notWant {
			if contains(got, w) {
				t.Errorf("%q completes to %v, includes %q", tt.line, got, w)
			}
		}
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestZshFishCompletionParse: the zsh and fish scripts parse (checked when
// those shells are installed).
func TestZshFishCompletionParse(t *testing.T) {
	for _, sh := range []string{"zsh", "fish"} {
		script, errs, code := cli(t, "completion", sh)
		if code != 0 || errs != "" || !strings.Contains(script, "scan") || !strings.Contains(script, "jsonl") {
			t.Fatalf("completion %s: exit %d %q", sh, code, errs)
		}
		bin, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s not installed: script not parsed", sh)
			continue
		}
		path := filepath.Join(t.TempDir(), "c."+sh)
		if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "-n", path).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}

// TestManPage: the man page names every command and exit code, and groff
// formats it without a warning (when groff is installed).
func TestManPage(t *testing.T) {
	page, errs, code := cli(t, "man")
	if code != 0 || errs != "" {
		t.Fatalf("man: exit %d %q", code, errs)
	}
	for _, w := range []string{".TH NETSPECTER", ".SH EXIT STATUS", `\-\-jsonl`, `.SS "scan`, `.SS "investigate`, ".B 130", `\-\-demo`} {
		if !strings.Contains(page, w) {
			t.Errorf("man page lacks %q", w)
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Log("groff not installed: the page is not formatted")
		return
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("groff: %v\n%s", err, stderr.String())
	}
}

// TestEveryFlagDocumented: every flag a command accepts is in its help,
// its man page section and its bash completion.
func TestEveryFlagDocumented(t *testing.T) {
	man, _, _ := cli(t, "man")
	bash, _, _ := cli(t, "completion", "bash")
	for _, c := range commands() {
		var o options
		fs := c.build(&o)
		var help bytes.Buffer
		writeHelp(&help, c)
		fs.VisitAll(func(fl *flag.Flag) {
			name := dash(fl.Name)
			if !strings.Contains(help.String(), name) {
				t.Errorf("%q: %s missing from --help", c.name, name)
			}
			if !strings.Contains(bash, name) {
				t.Errorf("%q: %s missing from the bash completion", c.name, name)
			}
			if fl.Name != "h" && fl.Name != "help" && !strings.Contains(man, roff(name)) {
				t.Errorf("%q: %s missing from the man page", c.name, name)
			}
		})
		if len(c.examples) == 0 {
			t.Errorf("%q has no examples", c.name)
		}
	}
}
