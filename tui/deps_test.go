package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestNoModuleImplementations keeps the UI free of the module
// implementations (and their heavy dependencies): cmd hands the workbench
// what it needs (Scan, ModulesFor, Export), and module facts are
// described by recon alone.
func TestNoModuleImplementations(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-json=ImportPath", "./...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	// The module packages (recon/doctor still reads geoip and threat for
	// its checks) and the libraries only modules use.
	const mod = "github.com/netspecter/netspecter-tui/recon/"
	forbidden := map[string]bool{}
	for _, p := range []string{"modules", "dnsmod", "whoismod", "ctlog", "tlscert", "headers", "mail", "ports"} {
		forbidden[mod+p] = true
	}
	libraries := []string{"wappalyzergo", "likexian"}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for {
		var p struct{ ImportPath string }
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list: %v", err)
		}
		n++
		if forbidden[p.ImportPath] {
			t.Errorf("tui depends on the module implementation %s", p.ImportPath)
		}
		for _, l := range libraries {
			if strings.Contains(p.ImportPath, l) {
				t.Errorf("tui depends on %s", p.ImportPath)
			}
		}
	}
	if n == 0 {
		t.Fatal("go list listed no packages")
	}
}
