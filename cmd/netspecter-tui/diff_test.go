package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot/diff"
)

const movedWorld = "../../testdata/lab/rescan-moved.json"

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func change(r *diff.Result, entity, module, field string) *diff.Change {
	for i, c := range r.Changed {
		if c.Entity == entity && c.Module == module && c.Field == field {
			return &r.Changed[i]
		}
	}
	return nil
}

// TestDiffMovedDomain is issue 20's acceptance case: nova-parcels.com at
// depth 1 on the demo world, then on a copy in which it moved to another IP
// and its certificate gained a SAN — as two investigations and diff, and as
// investigate --rescan.
func TestDiffMovedDomain(t *testing.T) {
	dir := t.TempDir()
	old, new := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if _, errs, code := cli(t, "investigate", "--demo", "--depth", "1", "-o", old, "nova-parcels.com"); code != 0 {
		t.Fatalf("investigate demo: exit %d: %s", code, errs)
	}
	rescanned := filepath.Join(dir, "rescanned.json")
	copyFile(t, old, rescanned)
	if _, errs, code := cli(t, "investigate", "--world", movedWorld, "--depth", "1", "-o", new, "nova-parcels.com"); code != 0 {
		t.Fatalf("investigate moved: exit %d: %s", code, errs)
	}

	// A session never rescanned has no history: --since says so.
	if _, errs, code := cli(t, "diff", "--since", "1h", old); code != 0 || !strings.Contains(errs, "was never rescanned") {
		t.Errorf("diff --since on a fresh session: exit %d, stderr %q", code, errs)
	}
	out, errs, code := cli(t, "diff", "--format", "json", old, new)
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, errs)
	}
	var r diff.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("diff --format json: %v\n%s", err, out)
	}
	check := func(name string, r *diff.Result) {
		t.Helper()
		a := change(r, "nova-parcels.com", "dns", "A")
		if a == nil || !slices.Equal(toStrings(a.Old), []string{"185.220.101.47"}) || !slices.Equal(toStrings(a.New), []string{"194.26.29.81"}) {
			t.Errorf("%s: A change %+v", name, a)
		}
		sans := change(r, "nova-parcels.com", "ssl", "SANs")
		if sans == nil || !slices.Equal(sans.Added, []string{"nova-refunds.org"}) || len(sans.Removed) != 0 {
			t.Errorf("%s: SANs change %+v", name, sans)
		}
		found := false
		for _, e := range r.Added {
			found = found || e.Value == "nova-refunds.org" && e.Relation == "SAN" && e.Parent == "nova-parcels.com"
		}
		if !found {
			t.Errorf("%s: nova-refunds.org not added as a SAN of nova-parcels.com: %+v", name, r.Added)
		}
		// The registration did not change.
		if c := change(r, "nova-parcels.com", "whois", "registrar"); c != nil {
			t.Errorf("%s: registrar changed: %+v", name, c)
		}
	}
	check("diff json", &r)
	if r.Old.Source != old || r.New.Source != new {
		t.Errorf("sides %+v %+v", r.Old, r.New)
	}

	md, errs, code := cli(t, "diff", old, new)
	if code != 0 {
		t.Fatalf("diff md: exit %d: %s", code, errs)
	}
	for _, want := range []string{"# What changed", "| nova-parcels.com | dns | A | 185.220.101.47 | 194.26.29.81 |", "+nova-refunds.org"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}

	// The same through a rescan of the first session on the changed world.
	out, errs, code = cli(t, "investigate", "--world", movedWorld, "--rescan", rescanned, "--exit-on-change")
	if code != exitChanged {
		t.Fatalf("rescan --exit-on-change: exit %d, want %d: %s\n%s", code, exitChanged, errs, out)
	}
	for _, want := range []string{"nova-parcels.com: dns A: +194.26.29.81 −185.220.101.47", "nova-parcels.com: ssl SANs: +nova-refunds.org", "full report: netspecter-tui diff --since"} {
		if !strings.Contains(out, want) {
			t.Errorf("rescan output lacks %q:\n%s", want, out)
		}
	}
	// The session shows its own change: diff --since a time before the rescan.
	line := out[strings.Index(out, "diff --since ")+len("diff --since "):]
	since := strings.Fields(line)[0]
	out, errs, code = cli(t, "diff", "--format", "json", "--since", since, rescanned)
	if code != 0 {
		t.Fatalf("diff --since: exit %d: %s", code, errs)
	}
	var h diff.Result
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		t.Fatal(err)
	}
	check("diff --since", &h)

	// A rescan on the same world changes nothing.
	sameDir := t.TempDir()
	same := filepath.Join(sameDir, "same.json")
	copyFile(t, new, same)
	out, errs, code = cli(t, "investigate", "--world", movedWorld, "--rescan", same, "--exit-on-change")
	// The lab's certificates are deterministic (keys seeded by the world),
	// so a second lab of the same world presents the same ones.
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Fatalf("a rescan on the same world: exit %d, want 0 and no changes:\n%s%s", code, out, errs)
	}
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case []any:
		var out []string
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	case []string:
		return x
	}
	return nil
}

func TestDiffUsage(t *testing.T) {
	dir := t.TempDir()
	notSession := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notSession, []byte(`[1]`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no files", []string{"diff"}, exitUsage, "usage: netspecter-tui diff"},
		{"three files", []string{"diff", "a", "b", "c"}, exitUsage, "usage"},
		{"since with two", []string{"diff", "--since", "7d", "a", "b"}, exitUsage, "usage"},
		{"bad since", []string{"diff", "--since", "soon", notSession}, exitUsage, "give an age"},
		{"bad format", []string{"diff", "--format", "csv", "a", "b"}, exitUsage, "give md or json"},
		{"missing file", []string{"diff", filepath.Join(dir, "none.json"), notSession}, exitError, "opening the session"},
		{"not a session", []string{"diff", notSession, notSession}, exitError, "not a netspecter-tui session"},
		{"exit-on-change without rescan", []string{"investigate", "--demo", "--exit-on-change", "nova-parcels.com"}, exitUsage, "goes with --rescan"},
		{"rescan with targets", []string{"investigate", "--demo", "--rescan", notSession, "nova-parcels.com"}, exitUsage, "takes no targets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := cli(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, want %d; stderr %q lacks %q", code, tt.code, errs, tt.msg)
			}
		})
	}
}

// The moved world must stay a copy of the demo world except for the move:
// when the demo world changes, run python3 scripts/rescan-moved.
func TestRescanMovedWorldIsADemoCopy(t *testing.T) {
	load := func(path string) map[string]any {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	demo, moved := load("../../testdata/lab/demo.json"), load(movedWorld)
	// The differences the world is for, removed from both sides.
	for _, w := range []map[string]any{demo, moved} {
		delete(w, "name")
		delete(w, "description")
		delete(w["tlds"].(map[string]any), "org")
		doms := w["domains"].(map[string]any)
		delete(doms, "nova-refunds.org")
		recs := doms["nova-parcels.com"].(map[string]any)["records"].(map[string]any)
		delete(recs["@"].(map[string]any), "A")
		if mail, ok := recs["mail"].(map[string]any); ok {
			delete(mail, "A")
		}
		for _, c := range w["certificates"].([]any) {
			if c := c.(map[string]any); c["id"] == "nova" {
				delete(c, "sans")
				delete(c, "not_before")
				delete(c, "not_after")
			}
		}
		delete(w["ips"].(map[string]any), "194.26.29.81")
	}
	a, _ := json.Marshal(demo)
	b, _ := json.Marshal(moved)
	if string(a) != string(b) {
		t.Error("testdata/lab/rescan-moved.json is no longer the demo world plus the move: run python3 scripts/rescan-moved")
	}
}
