package export

import (
	"time"

	"bytes"
	"github.com/netspecter/netspecter-tui/recon"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

// minimalHostile is a small hand-written session file with injections in
// every free-text field (values, relations, rule ids, signal texts, errors,
// notes, false positives) — the loader refuses unknown enum values, so
// those are valid — so the fuzzer starts near the classes of issue 12.
const minimalHostile = `{"version": 2, "created": "2024-11-20T10:00:00Z", "updated": "2024-11-20T10:00:00Z",
 "nodes": [
  {"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "relation": "", "state": "done",
   "notes": [{"text": "<b>x</b>\n# h", "at": "2024-11-20T10:00:00Z"}],
   "false_positives": {"r|x": "why\n| a |"},
   "scan": {"target": {"kind": "domain", "value": "a.example"}, "modules": {"dns": {"module": "dns", "status": "error",
       "error": "\u001b]0;title\u0007<script>", "signals": [], "pivots": []}},
     "assessment": {"level": "red",
       "signals": [{"level": "red", "text": "%%{init: {}}%%\n  click e1 href \"javascript:y\"", "module": "dns",
         "rule": "r\", URL=\"javascript:x\"\n<img src=x onerror=alert(1)>"}]}}},
  {"id": "n2", "kind": "ns", "value": "ns1\u001b[2J\u009b\u202e\", URL=\"javascript:x\".example", "parent": "n1",
   "relation": "NS\n  click e2 call x()\n# heading", "notes": []},
  {"id": "n3", "kind": "registrar", "value": "%%{init: {\"theme\": \"dark\"}}%%", "parent": "n1", "relation": "registrar", "notes": []}
 ]}`

// smallSession is a two-domain cluster with a few children: small enough
// for the fuzzer to mutate quickly (the demo and hostile sessions are
// 65 and 150 kB; the class tests use those).
func smallSession() *pivot.Session {
	s := pivot.NewSession(t0)
	for i, name := range []string{"a.example", "b.example"} {
		root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
		sc := newScan(recon.KindDomain, name)
		sc.mod("whois", recon.TouchThirdParty, &recon.WhoisFacts{Domain: name, Registered: true, Registrar: "Reg <b>" + termEsc,
			Created: day0("2024-11-1" + itoa(i) + "T00:00:00Z"), Raw: "Registrar: x\r\n```"},
			recon.Pivot{Kind: recon.PivotRegistrar, Value: "Reg <b>" + termEsc, Relation: recon.RelRegistrar})
		sc.mod("dns", recon.TouchThirdParty, &recon.DNSFacts{Name: name, A: []string{"203.0.113.9"}},
			recon.Pivot{Kind: recon.PivotIP, Value: "203.0.113.9", Relation: recon.RelA})
		rep := sc.done()
		rep.Assessment.Signals = append(rep.Assessment.Signals, recon.Signal{Level: recon.LevelRed, Text: "t", Module: "dns", Rule: "r"})
		s.Attach(root.ID, rep, t0.Add(time.Duration(i)*time.Minute))
		s.AddNote(root.ID, "note", t0)
	}
	return s
}

// FuzzExport loads arbitrary bytes as a session file and runs every export
// format on what loads: no format may write a raw control character, a DOT
// statement or attribute, a Mermaid statement or a Markdown line (HTML,
// heading, table row) that the exporter did not write itself (checkExport).
func FuzzExport(f *testing.F) {
	for _, s := range []*pivot.Session{smallSession()} {
		b, err := pivot.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(minimalHostile))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := pivot.Unmarshal(data)
		if err != nil {
			return // refusing a file is fine; the loader's own fuzz target covers it
		}
		for _, format := range Formats {
			var buf bytes.Buffer
			if err := Write(&buf, format, s, fixedAt); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if err := checkExport(format, buf.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestMinimalHostileFile: the hand-written hostile file loads (so the
// fuzzer's seed reaches the exporters) and every format passes the checks.
func TestMinimalHostileFile(t *testing.T) {
	s, err := pivot.Unmarshal([]byte(minimalHostile))
	if err != nil {
		t.Fatalf("the seed does not load: %v", err)
	}
	for _, format := range Formats {
		if err := checkExport(format, render(t, format, s)); err != nil {
			t.Error(err)
		}
	}
}
