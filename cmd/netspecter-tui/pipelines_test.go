package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// cliIn runs the command in-process with stdin and a context of its own.
func cliIn(t *testing.T, ctx context.Context, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var out, errb bytes.Buffer
	code = runWith(ctx, args, streams{in: strings.NewReader(stdin), out: &out, err: &errb})
	return out.String(), errb.String(), code
}

// jsonLines parses JSON Lines output into reports, failing on any line
// that is not one compact report.
func jsonLines(t *testing.T, out string) []*recon.Report {
	t.Helper()
	var reps []*recon.Report
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			t.Fatalf("line %d is empty in %q", i+1, out)
		}
		var rep recon.Report
		if err := json.Unmarshal([]byte(line), &rep); err != nil || rep.Target.Value == "" {
			t.Fatalf("line %d is not a report: %v\n%.200s", i+1, err, line)
		}
		reps = append(reps, &rep)
	}
	return reps
}

func targetsOf(reps []*recon.Report) []string {
	var v []string
	for _, r := range reps {
		v = append(v, r.Target.Value)
	}
	slices.Sort(v)
	return v
}

// TestScanListJSONL: the pipeline — a list on stdin, one JSON line
// per target; comments and blank lines skipped; a bad line reported with its
// number and skipped, the others scanned, exit 2.
func TestScanListJSONL(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		want        []string
		code        int
		stderr      string
	}{
		{"the issue's pipeline", "nova-parcels.com\nmeridian-freight.com\n", nil,
			[]string{"meridian-freight.com", "nova-parcels.com"}, exitOK, ""},
		{"comments, blanks, CRLF, a BOM, a repeat", "\ufeff# suspects\r\n\r\n  nova-parcels.com  \r\n# done\r\nNOVA-PARCELS.COM\r\n", nil,
			[]string{"nova-parcels.com"}, exitOK, ""},
		{"a bad line", "nova-parcels.com\nfoo..com\nmeridian-freight.com\n", nil,
			[]string{"meridian-freight.com", "nova-parcels.com"}, exitUsage, "stdin line 2: \"foo..com\""},
		{"arguments and the list", "meridian-freight.com\n", []string{"parcelpoint-status.com"},
			[]string{"meridian-freight.com", "parcelpoint-status.com"}, exitOK, ""},
		{"only bad lines", "foo..com\n-x-\n", nil, nil, exitUsage, "stdin line 1"},
		{"an empty list", "", nil, nil, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--demo", "--jsonl", "-l", "-"}, tt.args...)
			out, errs, code := cliIn(t, context.Background(), tt.stdin, args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d containing %q", code, errs, tt.code, tt.stderr)
			}
			if tt.stderr == "" && errs != "" {
				t.Errorf("stderr %q, want nothing", errs)
			}
			var got []string
			if out != "" {
				got = targetsOf(jsonLines(t, out))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("scanned %v, want %v", got, tt.want)
			}
		})
	}
}

// TestScanOutputFile: -o writes the output to a file (atomically: no
// temporary file is left), nothing on stdout; a list file works like stdin;
// --json with several targets keeps their order.
func TestScanOutputFile(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "targets.txt")
	if err := os.WriteFile(list, []byte("parcelpoint-status.com\nnova-parcels.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "scan.json")
	stdout, errs, code := cli(t, "scan", "--demo", "--json", "-l", list, "-o", out, "meridian-freight.com")
	if code != 0 || stdout != "" || errs != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	var order []string
	for {
		var rep recon.Report
		if err := dec.Decode(&rep); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		order = append(order, rep.Target.Value)
	}
	if want := []string{"meridian-freight.com", "parcelpoint-status.com", "nova-parcels.com"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want the input's %v", order, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left in the folder: %v", entries)
	}
	// Text to a file carries no escape sequences.
	txt := filepath.Join(dir, "scan.txt")
	if _, errs, code := cli(t, "scan", "--demo", "-o", txt, "nova-parcels.com"); code != 0 {
		t.Fatalf("text -o: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(txt); !bytes.Contains(b, []byte("Overall Assessment")) || bytes.ContainsRune(b, 0x1b) {
		t.Errorf("text file: %.200q", b)
	}
}

// TestExitCodes: one case per exit code of scan and investigate.
func TestExitCodes(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	session := filepath.Join(t.TempDir(), "case.json")
	if err := pivot.Save(pivot.NewSession(time.Now()), session); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(session)
	tests := []struct {
		name string
		ctx  context.Context
		args []string
		code int
		msg  string
	}{
		{"done", context.Background(), []string{"scan", "--demo", "nova-parcels.com"}, exitOK, ""},
		{"list file missing", context.Background(), []string{"scan", "--demo", "-l", "/nonexistent/list.txt"}, exitError, "list.txt"},
		{"world file missing", context.Background(), []string{"scan", "--world", "/nonexistent/w.json", "a.com"}, exitError, "w.json"},
		{"output folder missing", context.Background(), []string{"scan", "--demo", "-o", "/nonexistent/dir/out.json", "nova-parcels.com"}, exitError, "/nonexistent/dir"},
		{"output is a session", context.Background(), []string{"scan", "--demo", "-o", session, "nova-parcels.com"}, exitError, "does not overwrite"},
		{"bad target", context.Background(), []string{"scan", "--demo", "foo..com"}, exitUsage, "two dots"},
		{"bad target among good", context.Background(), []string{"scan", "--demo", "--jsonl", "nova-parcels.com", "http://"}, exitUsage, "rejected"},
		{"no target", context.Background(), []string{"scan", "--demo"}, exitUsage, "no target"},
		{"unknown flag", context.Background(), []string{"scan", "--demo", "--bogus", "a.com"}, exitUsage, "bogus"},
		{"unknown module", context.Background(), []string{"scan", "--demo", "--modules", "dns,bogus", "a.com"}, exitUsage, "bogus"},
		{"json and jsonl", context.Background(), []string{"scan", "--demo", "--json", "--jsonl", "a.com"}, exitUsage, "not both"},
		{"modules could not run", context.Background(), []string{"scan", "--demo", "--faults", "drop=1", "--timeout", "200ms", "nova-parcels.com"}, exitPartial, ""},
		{"investigate: modules could not run", context.Background(), []string{"investigate", "--demo", "--depth", "0", "--faults", "drop=1", "--timeout", "200ms", "-o", filepath.Join(t.TempDir(), "c.json"), "nova-parcels.com"}, exitPartial, ""},
		{"interrupted", cancelled, []string{"scan", "--demo", "nova-parcels.com"}, exitInterrupted, "canceled"},
		{"bad and interrupted", cancelled, []string{"scan", "--demo", "foo..com", "nova-parcels.com"}, exitInterrupted, ""},
		{"investigate interrupted", cancelled, []string{"investigate", "--demo", "-o", filepath.Join(t.TempDir(), "c.json"), "nova-parcels.com"}, exitInterrupted, ""},
	}
	for _, tt := range tests {
		_, errs, code := cliIn(t, tt.ctx, "", tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d containing %q", tt.name, code, errs, tt.code, tt.msg)
		}
	}
	if after, _ := os.ReadFile(session); !bytes.Equal(before, after) {
		t.Error("scan -o overwrote a session")
	}
}

// TestScanInterruptedBySignal: the real process, reading a list from a
// pipe, gets SIGINT after its first report: it exits 130, the finished
// report is out, the unfinished list is not scanned.
func TestScanInterruptedBySignal(t *testing.T) {
	cmd := exec.Command(os.Args[0], "scan", "--demo", "--jsonl", "-l", "-")
	cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if _, err := io.WriteString(stdin, "nova-parcels.com\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	tm := time.AfterFunc(20*time.Second, func() { cmd.Process.Signal(syscall.SIGQUIT) })
	first, err := r.ReadString('\n')
	tm.Stop() // written as soon as it finished, while stdin is still open
	if err != nil {
		t.Fatalf("first line: %v (stderr %q)", err, stderr.String())
	}
	jsonLines(t, first)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want %d (stderr %q)", err, exitInterrupted, stderr.String())
	}
	if len(rest) != 0 || !strings.Contains(stderr.String(), "interrupted: 1 target(s)") {
		t.Errorf("after the signal: stdout %q, stderr %q", rest, stderr.String())
	}
}

// TestInvestigateList: investigate takes -l too; each target is a root.
func TestInvestigateList(t *testing.T) {
	out := filepath.Join(t.TempDir(), "case.json")
	_, errs, code := cliIn(t, context.Background(), "# suspects\nnova-parcels.com\nbad..name\nmeridian-freight.com\n",
		"investigate", "--demo", "--depth", "0", "-q", "-l", "-", "-o", out)
	if code != exitUsage || !strings.Contains(errs, "stdin line 3") {
		t.Fatalf("exit %d, stderr %q; want 2 naming line 3", code, errs)
	}
	s, err := pivot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Roots()) != 2 {
		t.Errorf("roots %v, want the two good targets", s.Roots())
	}
}

// TestNoTerminalQueries runs scan under a pseudo-terminal (util-linux
// script) with a colour terminal's TERM: the output is coloured, and
// carries no background-colour query (OSC 11) or cursor-position request
// (DSR), which lipgloss v1 and bubbletea's init would otherwise send.
func TestNoTerminalQueries(t *testing.T) {
	sgr := regexp.MustCompile("\x1b\\[[0-9;]*m") // a colour or bold, not the status line's erase
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1): the pty test needs util-linux")
	}
	tests := []struct {
		args     string
		progress bool
	}{
		{"scan --demo nova-parcels.com", true},
		{"scan -q --demo nova-parcels.com", false},
		{"scan --demo --json nova-parcels.com", true},
		{"version", false},
	}
	for _, tt := range tests {
		cmd := exec.Command(script, "-qec", os.Args[0]+" "+tt.args, "/dev/null")
		cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "TERM=xterm-256color", "COLORTERM=", "NO_COLOR=",
			// termenv treats any CI variable as "not a terminal" and CLICOLOR=0
			// as "no colour": a CI machine sets both, the pty here is a terminal.
			"CI=", "CLICOLOR=", "CLICOLOR_FORCE=",
			"XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir())
		var out bytes.Buffer
		cmd.Stdout = &out
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err = <-done:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: no exit within 60 s under a pty (waiting for a terminal answer?)", tt.args)
		}
		if err != nil {
			t.Fatalf("%s: %v\n%q", tt.args, err, out.String())
		}
		b := out.String()
		if strings.Contains(b, "\x1b]11;?") || strings.Contains(b, "\x1b[6n") {
			t.Errorf("%s: the output queries the terminal: %.120q", tt.args, b)
		}
		if strings.Contains(tt.args, "scan --demo nova") && !sgr.MatchString(b) {
			t.Errorf("%s: no colour on a colour terminal", tt.args)
		}
		if got := strings.Contains(b, "scanning nova-parcels.com"); got != tt.progress {
			t.Errorf("%s: progress on the terminal %v, want %v", tt.args, got, tt.progress)
		}
	}
}
