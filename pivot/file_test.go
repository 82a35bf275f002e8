package pivot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// richSession has every kind of data a session file carries.
func richSession(t testing.TB) *Session {
	s := NewSession(t0.In(time.FixedZone("CET", 3600)))
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.Attach(root.ID, novaParcels.report(), t0.Add(time.Minute))
	var tracking, ip string
	for _, c := range s.Node(root.ID).Children {
		switch s.Node(c).Value {
		case "nova-tracking.net":
			tracking = c
		case "185.220.101.47":
			ip = c
		}
	}
	s.Attach(tracking, novaTracking.report(), t0.Add(2*time.Minute))
	// nova-parcels.com again, under nova-tracking.net: a second node of the entity
	var again string
	for _, c := range s.Node(tracking).Children {
		if s.Node(c).Value == "nova-parcels.com" {
			again = c
		}
	}
	if again == "" {
		t.Fatal("no second node for nova-parcels.com")
	}
	s.AddNote(root.ID, "phishing kit seen 2026-11-19", t0.Add(3*time.Minute))
	s.AddNote(again, "same operator as \x1b]0;title\x07 kit", t0.Add(4*time.Minute))
	s.MarkFalsePositive(tracking, "spoofable-mail", "parked domain, no mail", t0.Add(5*time.Minute))
	s.Node(root.ID).Entity.Tags = []string{"phishing", "nova"}
	s.SetState(ip, StateRunning, "")
	for _, c := range s.Node(root.ID).Children {
		if s.Node(c).Value == "nova-returns.co" {
			s.SetState(c, StateFailed, "ssl: connection refused")
		}
	}
	return s
}

func TestMarshalRoundTripByteIdentical(t *testing.T) {
	s := richSession(t)
	a, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Unmarshal(a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(s2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("re-marshal differs:\n%s", firstDiff(a, b))
	}
	// the scan is written once per entity
	if n := bytes.Count(a, []byte(`"scan":`)); n != 2 {
		t.Errorf("%d scans written, want 2 (one per scanned entity)", n)
	}
	// the structure survived
	if s2.Len() != s.Len() || !reflect.DeepEqual(s2.NodeIDs(), s.NodeIDs()) || !reflect.DeepEqual(s2.Roots(), s.Roots()) {
		t.Fatalf("tree differs")
	}
	for _, id := range s.NodeIDs() {
		n, n2 := s.Node(id), s2.Node(id)
		if n.Parent != n2.Parent || !reflect.DeepEqual(n.Children, n2.Children) || n.Entity.Key != n2.Entity.Key {
			t.Errorf("node %s differs", id)
		}
	}
	e := s2.Entity("domain:nova-parcels.com")
	if len(e.Notes) != 2 || e.Notes[1].Text != "same operator as \x1b]0;title\x07 kit" || e.State != StateDone {
		t.Errorf("entity %+v", e)
	}
	if f := recon.FactsOf[recon.WhoisFacts](e.Scan, "whois"); f == nil || !strings.Contains(f.Raw, "terms of use") {
		t.Errorf("whois raw evidence lost")
	}
	if f := recon.FactsOf[recon.SSLFacts](e.Scan, "ssl"); f == nil || !strings.Contains(f.Certs[0].PEM, "BEGIN CERTIFICATE") {
		t.Errorf("PEM lost")
	}
	if got := s2.Entity("ip:185.220.101.47").State; got != StateNone {
		t.Errorf("running state saved as %q, want not scanned", got)
	}
	if got := s2.Entity("domain:nova-returns.co"); got.State != StateFailed || got.Err == "" {
		t.Errorf("failed state lost: %+v", got)
	}
	// nova-tracking.net's spoofable-mail signal is a false positive: its
	// young registration alone is one flag, so the verdict is yellow.
	if s2.Entity("domain:nova-tracking.net").Verdict() != recon.LevelYellow || s2.Entity("domain:nova-parcels.com").Verdict() != recon.LevelRed {
		t.Errorf("verdict")
	}
	// new nodes after a load do not reuse ids
	n := s2.AddRoot(recon.Target{Kind: recon.KindIP, Value: "9.9.9.10"})
	if s.Node(n.ID) != nil {
		t.Errorf("id %s reused", n.ID)
	}

	var f map[string]any
	if err := json.Unmarshal(a, &f); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "created", "updated", "window_days", "nodes", "clusters"} {
		if _, ok := f[k]; !ok {
			t.Errorf("file lacks %q", k)
		}
	}
	if f["version"] != float64(Version) {
		t.Errorf("version %v", f["version"])
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(i-200, 0)
	return "A: " + string(a[lo:min(i+200, len(a))]) + "\nB: " + string(b[lo:min(i+200, len(b))])
}

func TestSaveLoadSaveIdentical(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "case.json")
	s := richSession(t)
	s.Window = 3 * 24 * time.Hour
	if err := Save(s, p); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(p)
	s2, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Window != 3*24*time.Hour {
		t.Errorf("window %v", s2.Window)
	}
	if err := Save(s2, p); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !bytes.Equal(a, b) {
		t.Fatalf("re-save differs:\n%s", firstDiff(a, b))
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (sessions hold investigation data)", st.Mode().Perm())
	}
	assertOnly(t, dir, "case.json")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "case.json")
	if err := Save(sessionOf(novaParcels), p); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(p)

	bad := sessionOf(novaTracking)
	bad.Entity("domain:nova-tracking.net").Scan.Modules["headers"] = &recon.ModuleResult{Status: recon.StatusOK, Facts: make(chan int)}
	if err := Save(bad, p); err == nil {
		t.Fatal("saving unencodable facts succeeded")
	}
	if now, _ := os.ReadFile(p); !bytes.Equal(now, old) {
		t.Error("the old file changed after a failed save")
	}
	assertOnly(t, dir, "case.json")

	if err := Save(sessionOf(novaParcels), filepath.Join(dir, "missing", "x.json")); err == nil || !strings.Contains(err.Error(), "writable") {
		t.Errorf("save into a missing dir: %v", err)
	}
	assertOnly(t, dir, "case.json")
}

const v1File = `{
  "version": 1,
  "created": "2025-01-02T03:04:05Z",
  "updated": "2025-01-03T00:00:00Z",
  "nodes": [
    {"id": "n1", "kind": "domain", "value": "nova-parcels.com", "parent": null, "relation": "",
     "notes": ["first look", "same kit as last week"], "tags": ["phishing"],
     "scan": {"target": {"kind": "domain", "value": "nova-parcels.com"}, "started": "2025-01-02T10:00:00Z", "duration_ms": 2500,
              "modules": {"whois": {"status": "ok", "facts": {"domain": "nova-parcels.com", "registered": true, "registrar": "NameCheap, Inc.", "privacy": false, "source": "whois"}, "signals": [], "pivots": [{"kind": "registrar", "value": "NameCheap, Inc.", "relation": "registrar"}]}},
              "assessment": {"level": "yellow", "signals": []}}},
    {"id": "n2", "kind": "registrar", "value": "NameCheap, Inc.", "parent": "n1", "relation": "registrar", "notes": []},
    {"id": "n7", "kind": "domain", "value": "NOVA-parcels.com", "parent": "n2", "relation": "SAN",
     "notes": ["duplicate scan, ignored"],
     "scan": {"target": {"kind": "domain", "value": "nova-parcels.com"}, "modules": {}, "assessment": {"level": "green", "signals": []}}}
  ],
  "clusters": []
}`

func TestLoadVersion1Migrates(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "old.json")
	if err := os.WriteFile(p, []byte(v1File), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(p)
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != v1File || !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
		t.Error("Load modified the file")
	}
	assertOnly(t, dir, "old.json")

	e := s.Entity("domain:nova-parcels.com")
	updated := time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)
	wantNotes := []Note{{"first look", updated}, {"same kit as last week", updated}}
	if !reflect.DeepEqual(e.Notes, wantNotes) {
		t.Errorf("notes %+v", e.Notes)
	}
	if e.State != StateDone || !e.ScannedAt.Equal(time.Date(2025, 1, 2, 10, 0, 2, 5e8, time.UTC)) {
		t.Errorf("state %q scanned_at %v", e.State, e.ScannedAt)
	}
	if e.Scan.Assessment.Level != recon.LevelYellow || recon.FactsOf[recon.WhoisFacts](e.Scan, "whois").Registrar != "NameCheap, Inc." {
		t.Errorf("scan not the first node's: %+v", e.Scan.Assessment)
	}
	if s.Window != DefaultWindow || s.Len() != 3 || len(s.Roots()) != 1 || !reflect.DeepEqual(s.NodesOf(e.Key), []string{"n1", "n7"}) {
		t.Errorf("tree: window %v len %d roots %v", s.Window, s.Len(), s.Roots())
	}
	if n := s.AddChild("n7", recon.Pivot{Kind: recon.PivotIP, Value: "1.2.3.4", Relation: recon.RelA}); n.ID != "n8" {
		t.Errorf("next id %s, want n8", n.ID)
	}
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(fmt.Sprintf(`"version": %d`, Version))) || !bytes.Contains(b, []byte(`"text": "first look"`)) {
		t.Errorf("migrated file:\n%s", b)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	good, err := Marshal(richSession(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   string
		want error
		msg  string
	}{
		{"newer", `{"version": 4, "nodes": [{"id": "x", "future": true}]}`, ErrNewerVersion, "written by a newer netspecter-tui (version 4); upgrade to open it"},
		{"truncated", string(good[:len(good)/2]), ErrCorrupt, "truncated"},
		{"truncated early", string(good[:40]), ErrCorrupt, "truncated"},
		{"garbage inside", strings.Replace(string(good), `"nodes": [`, `"nodes": [}`, 1), ErrCorrupt, "invalid JSON"},
		{"empty", "  \n", ErrCorrupt, "empty"},
		{"text", "hello world", ErrNotSession, ""},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", ErrNotSession, ""},
		{"array", `[{"version": 2}]`, ErrNotSession, ""},
		{"scan report", `{"target": {"kind": "domain", "value": "x.com"}, "modules": {}, "assessment": {}}`, ErrNotSession, "scan --json"},
		{"other json", `{"name": "x"`, ErrNotSession, ""},
		{"version string", `{"version": "2", "nodes": []}`, ErrCorrupt, "whole number"},
		{"version zero", `{"version": 0, "nodes": []}`, ErrCorrupt, ""},
		{"duplicate id", `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "value": "1.2.3.4", "parent": null}, {"id": "n1", "kind": "ip", "value": "1.2.3.5", "parent": null}]}`, ErrCorrupt, "twice"},
		{"parent later", `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "value": "1.2.3.4", "parent": "n2"}, {"id": "n2", "kind": "ip", "value": "1.2.3.5", "parent": null}]}`, ErrCorrupt, "does not come before"},
		{"self parent", `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "value": "1.2.3.4", "parent": "n1"}]}`, ErrCorrupt, ""},
		{"no value", `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "parent": null}]}`, ErrCorrupt, ""},
		{"wrong type", `{"version": 2, "nodes": [{"id": 1}]}`, ErrCorrupt, ""},
		{"v1 notes in a v2 file", `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "value": "1.2.3.4", "parent": null, "notes": ["x"]}]}`, ErrCorrupt, "notes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Unmarshal([]byte(tc.in))
			if !errors.Is(err, tc.want) || s != nil {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err, tc.msg)
			}
		})
	}
	// Load wraps with the path and keeps the sentinel.
	p := filepath.Join(t.TempDir(), "cut.json")
	os.WriteFile(p, good[:100], 0o600)
	if _, err := Load(p); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), p) {
		t.Errorf("Load: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
}

// TestUnmarshalRejectsUnknownEnums: every enum-like field of a session file
// (node kind and state, a scan's target kind, module ids, statuses, touches,
// signal and assessment levels, signal modules, pivot kinds) is checked on
// load; a value outside its enum is a clear load error that quotes it
// escaped. (Free text is loaded unchanged and sanitised at display.)
func TestUnmarshalRejectsUnknownEnums(t *testing.T) {
	const esc = `red\u001b]0;pwned\u0007\u001b]52;c;ZXZpbA==\u0007`
	scan := func(target, modID, status, touch, mlevel, smodule, pkind, alevel string) string {
		return `{"target": {"kind": "` + target + `", "value": "x.com"}, "modules": {"` + modID + `": {"status": "` + status + `", "touch": "` + touch +
			`", "facts": null, "signals": [{"level": "` + mlevel + `", "text": "t", "module": "` + smodule + `"}], "pivots": [{"kind": "` + pkind + `", "value": "1.2.3.4", "relation": "A"}]}},` +
			` "assessment": {"level": "` + alevel + `", "signals": [{"level": "` + mlevel + `", "text": "t", "module": "` + smodule + `"}]}}`
	}
	file := func(kind, state, scanJSON string) string {
		return `{"version": 2, "nodes": [{"id": "n1", "kind": "` + kind + `", "value": "x.com", "parent": null, "state": "` + state + `", "notes": [], "scan": ` + scanJSON + `}]}`
	}
	ok := scan("domain", "dns", "ok", "third-party", "red", "dns", "ip", "red")
	if _, err := Unmarshal([]byte(file("domain", "done", ok))); err != nil {
		t.Fatalf("the valid base file: %v", err)
	}
	cases := []struct{ name, in, msg string }{
		{"node kind", file(esc, "done", ok), "kind"},
		{"node kind upper-case", file("DOMAIN", "done", ok), `kind "DOMAIN"`},
		{"node state", file("domain", esc, ok), "state"},
		{"target kind", file("domain", "done", scan(esc, "dns", "ok", "third-party", "red", "dns", "ip", "red")), "target kind"},
		{"module id", file("domain", "done", scan("domain", esc, "ok", "third-party", "red", "dns", "ip", "red")), "module id"},
		{"status", file("domain", "done", scan("domain", "dns", esc, "third-party", "red", "dns", "ip", "red")), "status"},
		{"touch", file("domain", "done", scan("domain", "dns", "ok", esc, "red", "dns", "ip", "red")), "touch"},
		{"signal level", file("domain", "done", scan("domain", "dns", "ok", "third-party", esc, "dns", "ip", "red")), "level"},
		{"signal level html", file("domain", "done", scan("domain", "dns", "ok", "third-party", `<img src=x onerror=alert(1)>\n# h`, "dns", "ip", "red")), "level"},
		{"signal module", file("domain", "done", scan("domain", "dns", "ok", "third-party", "red", esc, "ip", "red")), "module"},
		{"pivot kind", file("domain", "done", scan("domain", "dns", "ok", "third-party", "red", "dns", esc, "red")), "kind"},
		{"assessment level", file("domain", "done", scan("domain", "dns", "ok", "third-party", "red", "dns", "ip", esc)), "assessment level"},
		{"dot injection in level", file("domain", "done", scan("domain", "dns", "ok", "third-party", "red", "dns", "ip", `red\", URL=\"javascript:alert(1)`)), "assessment level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Unmarshal([]byte(tc.in))
			if s != nil || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Unmarshal = %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err, tc.msg)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07\n") {
				t.Errorf("the message carries raw control bytes: %q", err)
			}
		})
	}
}

// TestLoadErrorsAreEscaped: an error that names a value from the file
// (a node id, a parent, the value of a node whose scan is damaged) prints
// it escaped, so "error: …" on stderr cannot run terminal escapes.
func TestLoadErrorsAreEscaped(t *testing.T) {
	const esc = `\u001b]0;pwned\u0007\u202e`
	for name, in := range map[string]string{
		"duplicate id": `{"version": 2, "nodes": [{"id": "` + esc + `", "kind": "ip", "value": "1.2.3.4", "parent": null}, {"id": "` + esc + `", "kind": "ip", "value": "1.2.3.5", "parent": null}]}`,
		"parent":       `{"version": 2, "nodes": [{"id": "n1", "kind": "ip", "value": "1.2.3.4", "parent": "` + esc + `"}]}`,
		"damaged scan": `{"version": 2, "nodes": [{"id": "n1", "kind": "domain", "value": "` + esc + `", "parent": null, "scan": {"modules": {"dns": {"status": 7}}}}]}`,
		"notes":        `{"version": 2, "nodes": [{"id": "` + esc + `", "kind": "ip", "value": "1.2.3.4", "parent": null, "notes": ["x"]}]}`,
		"version":      `{"version": "` + esc + `", "nodes": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Unmarshal([]byte(in))
			if err == nil {
				t.Fatal("loaded")
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07\u202e") {
				t.Errorf("raw control characters in %q", err)
			}
			if name != "version" && !strings.Contains(err.Error(), `\x1b]0;pwned\x07`) {
				t.Errorf("the value is not shown escaped: %q", err)
			}
		})
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, _ := Marshal(richSession(f))
	f.Add(good)
	f.Add([]byte(v1File))
	f.Add(good[:len(good)/3])
	f.Add([]byte(`{"version": 2, "nodes": []}`))
	f.Add([]byte(`{"version": 2, "window_days": 1e300, "nodes": [{"id": "n9223372036854775807", "kind": "ip", "value": "x", "parent": null}]}`))
	f.Add([]byte(`{"version": 1, "nodes": [{"id": "a", "kind": "domain", "value": "x", "parent": null, "notes": ["n"], "scan": {"modules": {"dns": {"facts": {"a": ["1.1.1.1"]}}}}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Unmarshal(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotSession) && !errors.Is(err, ErrNewerVersion) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		// a loaded session holds only known enum values
		for _, e := range s.Entities() {
			if !e.Kind.Valid() {
				t.Fatalf("loaded an entity of kind %q", e.Kind)
			}
			if e.Scan != nil {
				if err := e.Scan.Validate(); err != nil {
					t.Fatalf("loaded an invalid scan: %v", err)
				}
			}
		}
		// a loaded session is usable
		_ = s.Clusters()
		_ = s.Sharing(recon.PivotIP, "1.1.1.1")
		for _, e := range s.Entities() {
			_ = e.Verdict()
		}
		if _, err := Marshal(s); err != nil {
			t.Logf("marshal: %v", err) // e.g. a time the JSON encoder refuses
		}
	})
}

// TestEveryNodeHasNotes: the contract lists "notes" on every node; an
// entity's notes are on each of its nodes, and reading them back does not
// duplicate them.
func TestEveryNodeHasNotes(t *testing.T) {
	s := NewSession(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "a.example"})
	ip := s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotIP, Value: "192.0.2.1", Relation: "A"})
	other := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "b.example"})
	s.AddChild(other.ID, recon.Pivot{Kind: recon.PivotIP, Value: "192.0.2.1", Relation: "A"})
	s.AddNote(ip.ID, "seen in the phishing report", time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC))
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Nodes []map[string]json.RawMessage `json:"nodes"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	withNote := 0
	for _, n := range f.Nodes {
		raw, ok := n["notes"]
		if !ok {
			t.Fatalf("node %s has no notes key", n["id"])
		}
		if strings.Contains(string(raw), "phishing") {
			withNote++
		}
	}
	if withNote != 2 {
		t.Fatalf("the note is on %d nodes, want both nodes of the IP", withNote)
	}
	back, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if e := back.Entity(KeyOf(recon.PivotIP, "192.0.2.1")); e == nil || len(e.Notes) != 1 {
		t.Fatalf("notes after load: %+v", e)
	}
	again, _ := Marshal(back)
	if !bytes.Equal(b, again) {
		t.Fatal("re-save is not byte-identical")
	}
}

// TestAppendIndentedIsIndent: Marshal's indenter writes what json.Indent
// writes, for whole session files and for values with escapes, empty
// objects and arrays, nesting and numbers.
func TestAppendIndentedIsIndent(t *testing.T) {
	rich, err := json.Marshal(richSession(t))
	if err != nil {
		t.Fatal(err)
	}
	big, _ := Marshal(bigSession(2000))
	var compactBig bytes.Buffer
	if err := json.Compact(&compactBig, big); err != nil {
		t.Fatal(err)
	}
	cases := [][]byte{
		rich,
		compactBig.Bytes(),
		[]byte(`{}`), []byte(`[]`), []byte(`""`), []byte(`12.5e-3`), []byte(`null`),
		[]byte(`{"a":[],"b":{},"c":[{}],"d":[[],[1,2,{"x":null}]],"e":"q\"uo{te}[,]:\\","f":-1}`),
		[]byte(`["\u003cscript\u003e","\\\\","\\\"","\u2028",true,false]`),
	}
	for _, src := range cases {
		var want bytes.Buffer
		if err := json.Indent(&want, src, "", "  "); err != nil {
			t.Fatalf("json.Indent(%.40s): %v", src, err)
		}
		if got := appendIndented([]byte("x"), src, "  "); !bytes.Equal(got, append([]byte("x"), want.Bytes()...)) {
			t.Fatalf("appendIndented(%.60s):\n%s", src, firstDiff(want.Bytes(), got[1:]))
		}
	}
	// Marshal writes what json.Encoder with SetIndent wrote: json.Marshal's
	// compact form (the Encoder's), indented by json.Indent, a newline.
	got, err := Marshal(richSession(t))
	if err != nil {
		t.Fatal(err)
	}
	var compact, want bytes.Buffer
	if err := json.Compact(&compact, got); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("Marshal differs from json.Encoder's indented output:\n%s", firstDiff(want.Bytes(), got))
	}
}

// TestMarshalChunksAreOneFile: the nodes encoded in chunks at once make
// the file json.Marshal and json.Indent make of the whole session, for
// every number of chunks (and for a session too small to be cut).
func TestMarshalChunksAreOneFile(t *testing.T) {
	big := bigSession(9000)
	if big.Len() < 8000 {
		t.Fatalf("bigSession(9000) has %d nodes: too few for 4 chunks", big.Len())
	}
	for _, s := range []*Session{NewSession(time.Unix(0, 0)), richSession(t), big} {
		f, err := fileOf(s)
		if err != nil {
			t.Fatal(err)
		}
		compact, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		for _, cores := range []int{1, 2, 3, 4} {
			got, err := marshalIn(s, cores)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("%d nodes in up to %d chunks:\n%s", s.Len(), cores, firstDiff(want.Bytes(), got))
			}
		}
	}
}

// TestAppendPlainNode: a node written directly is what json.Marshal and
// the indenter write; a node that is not plain is left to them.
func TestAppendPlainNode(t *testing.T) {
	p := "n1"
	tests := []struct {
		name  string
		n     fileNode
		plain bool
	}{
		{"leaf", fileNode{ID: "n2", Kind: recon.PivotDomain, Value: "a.example", Parent: &p, Relation: "SAN", Notes: []Note{}}, true},
		{"root", fileNode{ID: "n1", Kind: recon.PivotDomain, Value: "a.example", Notes: []Note{}}, true},
		{"nil notes", fileNode{ID: "n3", Kind: "ip", Value: "192.0.2.1", Parent: &p, Relation: "A"}, false},
		{"printable ASCII", fileNode{ID: "n4", Kind: "x", Value: " !#$%'()*+,-./09:;=?@AZ[]^_`az{|}~", Parent: &p, Notes: []Note{}}, true},
		{"quote", fileNode{ID: "n5", Value: `a"b`, Notes: []Note{}}, false},
		{"backslash", fileNode{ID: "n5", Value: `a\b`, Notes: []Note{}}, false},
		{"html", fileNode{ID: "n5", Value: "<a>&", Notes: []Note{}}, false},
		{"unicode", fileNode{ID: "n5", Value: "xn--bcher-kva.example bücher", Notes: []Note{}}, false},
		{"control", fileNode{ID: "n5", Value: "a\tb", Notes: []Note{}}, false},
		{"del", fileNode{ID: "n5", Value: "a\x7f", Notes: []Note{}}, false},
		{"parent escaped", fileNode{ID: "n5", Parent: new("<p>"), Notes: []Note{}}, false},
		{"note", fileNode{ID: "n5", Notes: []Note{{Text: "x"}}}, false},
		{"state", fileNode{ID: "n5", State: StateDone, Notes: []Note{}}, false},
		{"error", fileNode{ID: "n5", Err: "boom", Notes: []Note{}}, false},
		{"scanned", fileNode{ID: "n5", ScannedAt: time.Unix(1, 0), Notes: []Note{}}, false},
		{"first seen", fileNode{ID: "n5", FirstSeen: time.Unix(1, 0), Notes: []Note{}}, false},
		{"tags", fileNode{ID: "n5", Tags: []string{"x"}, Notes: []Note{}}, false},
		{"false positives", fileNode{ID: "n5", FalsePositives: map[string]string{"a": "b"}, Notes: []Note{}}, false},
		{"scan", fileNode{ID: "n5", Scan: &recon.Report{}, Notes: []Note{}}, false},
	}
	for _, tt := range tests {
		got, ok := appendPlainNode([]byte("x"), &tt.n)
		if ok != tt.plain {
			t.Errorf("%s: plain %v, want %v", tt.name, ok, tt.plain)
			continue
		}
		if !ok {
			if string(got) != "x" {
				t.Errorf("%s: not plain but wrote %q", tt.name, got)
			}
			continue
		}
		b, err := json.Marshal(tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if want := appendIndentedAt([]byte("x"), b, "  ", 2); !bytes.Equal(got, want) {
			t.Errorf("%s:\n%s", tt.name, firstDiff(want, got))
		}
	}
}
