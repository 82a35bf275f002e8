package noquery

import (
	"os"
	"testing"
)

// TestRestore: the init leaves TERM=dumb for the other inits; Restore puts
// back what the process was started with, once.
func TestRestore(t *testing.T) {
	if got := os.Getenv("TERM"); got != "dumb" {
		t.Fatalf("after init TERM=%q, want dumb", got)
	}
	Restore()
	got, ok := os.LookupEnv("TERM")
	if ok != hadTerm || got != term {
		t.Fatalf("after Restore TERM=%q (set %v), want %q (set %v)", got, ok, term, hadTerm)
	}
	t.Setenv("TERM", "xterm-256color")
	Restore() // a second call changes nothing
	if got := os.Getenv("TERM"); got != "xterm-256color" {
		t.Fatalf("a second Restore changed TERM to %q", got)
	}
}
