package hostile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/netspecter/netspecter-tui/pivot"
)

var (
	tmpRoot   string // created by TestMain, removed after the tests
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/netspecter-tui once into a temporary folder (or uses
// the binary named by $NETSPECTER_TEST_BIN, built by the caller).
func binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NETSPECTER_TEST_BIN"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		binPath = filepath.Join(tmpRoot, "netspecter-tui")
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		out, err := exec.Command(goTool, "build", "-o", binPath, "github.com/netspecter/netspecter-tui/cmd/netspecter-tui").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// TestMain makes the folder for the binary and an empty config home.
func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "netspecter-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// runCLI runs the binary with args, NO_COLOR and NETSPECTER_* unset,
// stdout and stderr pipes. It may be called from any goroutine.
func runCLI(bin string, args ...string) (stdout, stderr []byte, err error) {
	return runCLIEnv(bin, nil, args...)
}

// runCLIEnv is runCLI with extra environment variables.
func runCLIEnv(bin string, extra []string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command(bin, args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "NETSPECTER_") {
			env = append(env, kv)
		}
	}
	env = append(env, extra...)
	cmd.Env = append(env, "XDG_CONFIG_HOME="+filepath.Join(tmpRoot, "config"), "XDG_STATE_HOME="+filepath.Join(tmpRoot, "state"))
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		// Exit 3 is "done, but some modules could not run": the hostile
		// world is built to make modules fail, and the report is complete.
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			return o.Bytes(), e.Bytes(), nil
		}
		return o.Bytes(), e.Bytes(), fmt.Errorf("%v: %v\nstderr:\n%s", args, err, e.Bytes())
	}
	return o.Bytes(), e.Bytes(), nil
}

// controlBytes describes every byte sequence in b a terminal would act on
// beyond plain text and newlines: C0 controls (but \n), DEL, C1 controls,
// bidi controls and invalid UTF-8.
func controlBytes(b []byte) []string {
	var bad []string
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			bad = append(bad, fmt.Sprintf("invalid UTF-8 byte %#x at %d", b[i], i))
		case r < 0x20 && r != '\n', r == 0x7f:
			bad = append(bad, fmt.Sprintf("control %#x at %d", r, i))
		case r >= 0x80 && r <= 0x9f:
			bad = append(bad, fmt.Sprintf("C1 control U+%04X at %d", r, i))
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			bad = append(bad, fmt.Sprintf("bidi control U+%04X at %d", r, i))
		}
		i += n
	}
	return bad
}

// TestCLITextHasNoControlBytes runs `scan` over every target of the hostile
// world, without and with colour (stdout is a pipe, so the program emits no
// styling): the output holds no byte a terminal would act on.
func TestCLITextHasNoControlBytes(t *testing.T) {
	w := loadWorld(t)
	type run struct {
		target  string
		noColor bool
	}
	var runs []run
	for _, d := range domains(w) {
		runs = append(runs, run{d, true})
	}
	runs = append(runs, run{"203.0.113.10", true})
	for _, tg := range []string{"term-escapes.com", "203.0.113.10", "аpple.com", "header-escape.com"} {
		runs = append(runs, run{tg, false})
	}
	bin := binary(t)
	outs := make([][2][]byte, len(runs))
	errs := make([]error, len(runs))
	sem := make(chan struct{}, 3)
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			args := []string{"scan", "--world", worldFile, "--timeout", cliTimeout.String()}
			if r.noColor {
				args = append(args, "--no-color")
			}
			o, e, err := runCLI(bin, append(args, r.target)...)
			outs[i], errs[i] = [2][]byte{o, e}, err
		}()
	}
	wg.Wait()
	for i, r := range runs {
		o, e := outs[i][0], outs[i][1]
		if errs[i] != nil {
			t.Errorf("%s: %v", r.target, errs[i])
			continue
		}
		if !bytes.Contains(o, []byte("Overall Assessment")) {
			t.Errorf("%s: no report:\n%s\nstderr:\n%s", r.target, o, e)
		}
		for name, b := range map[string][]byte{"stdout": o, "stderr": e} {
			if bad := controlBytes(b); len(bad) > 0 {
				t.Errorf("%s (no-color %v) %s: %d control sequences, first %v", r.target, r.noColor, name, len(bad), bad[:min(5, len(bad))])
			}
		}
		if r.target == "аpple.com" {
			for _, want := range []string{"xn--pple-43d.com (аpple.com)", "IDN homograph: xn--pple-43d.com is shown as аpple.com", "it imitates apple.com"} {
				if !bytes.Contains(o, []byte(want)) {
					t.Errorf("аpple.com: output lacks %q:\n%s", want, o)
				}
			}
		}
	}
	// The hostile strings are shown, escaped, not dropped.
	for _, want := range []string{`\x1b]52;c;cm0gLXJmIH4vKg==\x07`, `\x1b]0;PWNED window title\x07`, `\u2066`, `\u009b`} {
		found := false
		for i, r := range runs {
			if r.target == "term-escapes.com" && bytes.Contains(outs[i][0], []byte(want)) {
				found = true
			}
		}
		if !found {
			t.Errorf("term-escapes.com output does not show %s", want)
		}
	}
}

// TestSessionKeepsRawValues: `investigate -o` writes the hostile strings
// unchanged (JSON-escaped) into the session file.
func TestSessionKeepsRawValues(t *testing.T) {
	out := filepath.Join(t.TempDir(), "session.json")
	_, _, err := runCLI(binary(t), "investigate", "--world", worldFile, "--timeout", cliTimeout.String(), "--depth", "0", "-o", out, "term-escapes.com")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(b, 0x1b) >= 0 {
		t.Error("the session file holds a raw ESC byte: values must be JSON-escaped")
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var all []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			all = append(all, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				all = append(all, k)
				walk(e)
			}
		}
	}
	walk(doc)
	has := func(s string) bool {
		for _, v := range all {
			if strings.Contains(v, s) {
				return true
			}
		}
		return false
	}
	for what, raw := range map[string]string{
		"TXT OSC 52 clipboard":      "\x1b]52;c;cm0gLXJmIH4vKg==\x07",
		"TXT OSC 0 title":           "\x1b]0;PWNED window title\x07",
		"TXT OSC 2 with ST":         "\x1b]2;PWNED title 2\x1b\\",
		"TXT OSC 8 link":            "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
		"TXT CSI":                   "v=spf1 \x1b[2J\x1b[H\x1b[3;1H -all",
		"TXT bidi":                  "bidi \u202egnp.exe \u2066iso\u2069",
		"TXT NUL and DEL":           "nul\x00byte and del\x7f",
		"WHOIS registrar":           "Evil\x1b[31m Registrar\x1b]0;whois title\x07 Ltd",
		"WHOIS raw line":            "Domain Status: ok \x1b]52;c;ZWNobyBwd25lZA==\x07",
		"WHOIS C1 (U+009B)":         "Remarks: c1 \u009b2J",
		"header C1 (U+009B)":        "nginx \u009b2J",
		"header bidi":               "\u202etxt.exe",
		"SAN":                       "\x1b[2J\x1b]0;san title\x07.term-escapes.com",
		"SAN with NUL":              "nul\x00.term-escapes.com",
		"certificate CN":            "\x1b[31mred cn",
		"GeoIP AS org":              "EVIL\x1b]0;asn\x07-AS",
		"InternetDB hostname":       "\x1b]0;idb\x07.term-escapes.com",
		"DMARC":                     "rua=mailto:\x1b[2Jd@term-escapes.com",
		"invalid UTF-8 (as U+FFFD)": "\ufffd\ufffd\ufffd(",
	} {
		if !has(raw) {
			t.Errorf("%s: %q not found in the session file", what, raw)
		}
	}
	s, err := pivot.Load(out)
	if err != nil {
		t.Fatalf("pivot.Load: %v", err)
	}
	if len(s.Entities()) == 0 {
		t.Error("the session has no entities")
	}
}
