package noquery

import (
	"os"
	"testing"
)

// afterInit is TERM as the package's init left it (TestMain runs after
// every init and before any test).
var afterInit string

func TestMain(m *testing.M) {
	afterInit = os.Getenv("TERM")
	os.Exit(m.Run())
}

// TestRestore: the init leaves TERM=dumb for the other inits; Restore puts
// back what the process was started with, once.
func TestRestore(t *testing.T) {
	if afterInit != "dumb" {
		t.Fatalf("after init TERM=%q, want dumb", afterInit)
	}
	// Each run starts from the state the init left, so that go test
	// -count=N, which runs the test again in the same process, tests the
	// same thing each time (t.Setenv puts TERM back after the test).
	restored = false
	t.Setenv("TERM", afterInit)
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
