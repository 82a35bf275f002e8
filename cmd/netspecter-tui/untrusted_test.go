package main

import (
	"strings"
	"testing"
)

// TestErrorsFromSessionsAreEscaped: an error message that names values of a
// crafted session file (a bad enum, a damaged scan of a value holding
// escapes) reaches stderr escaped.
func TestErrorsFromSessionsAreEscaped(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"bad-level.json", `assessment level "red\x1b]0;PWNED\x07`},
		{"damaged-scan.json", `the scan of "x.com\x1b]0;PWNED\x07`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			stdout, stderr, code := cli(t, "export", "--format", "md", "../../testdata/sessions/"+tc.file)
			if code != exitError {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitError, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.ContainsAny(stderr, "\x1b\x07\u202e\u009b") {
				t.Errorf("raw control characters on stderr: %q", stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
		})
	}
}
