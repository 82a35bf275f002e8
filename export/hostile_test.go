package export

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// The values an attacker puts into a case file (or into WHOIS and DNS
// answers that end up in one), one per class of injection of issue 12.
const (
	// DOT: closes the label and adds a clickable URL attribute.
	dotBreakout = `red", URL="javascript:alert(1)", x="`
	// Mermaid: a newline starts a statement of the attacker's.
	mmStatement = "red\n  click e1 href \"javascript:alert(2)\"\n  %%{init: {\"securityLevel\": \"loose\"}}%%"
	// Mermaid: a directive inside a label, applied by mermaid 11.
	mmInit = `%%{init: {"theme":"dark","themeCSS":"@import url(https://evil.example/x.css);"}}%% Evil Registrar`
	// Markdown: HTML and a heading through a newline.
	mdHTML = "red<img src=x onerror=alert(3)>\n# Injected heading\n| a | b |"
	// Terminal: OSC title, OSC 52 clipboard, CSI, C1, bidi.
	termEsc = "ns1.evil.example\x1b]0;pwned\a\x1b]52;c;ZXZpbA==\a\x1b[2J\u009b31m\u202e"
)

// hostileSession is a session whose every field, enum-like ones included,
// carries an injection: the kind, the relation, levels, module and rule ids
// of signals, registrar and NS values, notes and false-positive reasons, and
// a 20,000-character value.
func hostileSession() *pivot.Session {
	s := pivot.NewSession(t0)
	long := strings.Repeat("a", 20000) + ".example"
	for i, name := range []string{"evil-one.example", "evil-two.example"} {
		root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
		rep := domainReport(domSpec{name: name, registrar: mmInit + termEsc, created: "2024-11-1" + itoa(i) + "T00:00:00Z",
			posture: "spf:none dmarc:none", ips: []string{"203.0.113.7"}, ns: []string{termEsc, "ns2" + dotBreakout},
			asn: 64500, asOrg: mmInit, cert: shaNova, pub: pubNova, issuer: mdHTML,
			sans: []string{name, long, "x" + mmStatement + ".example"}, txt: []string{termEsc}})
		rep.Assessment.Level = recon.Level(dotBreakout + mmStatement + mdHTML)
		rep.Assessment.Signals = append(rep.Assessment.Signals,
			recon.Signal{Level: recon.Level(mdHTML), Text: "text " + mdHTML, Module: "dns" + termEsc, Rule: "rule|" + mdHTML},
			recon.Signal{Level: recon.Level(mmStatement), Text: mmInit, Module: mmStatement, Rule: dotBreakout})
		rep.Modules["whois"].Status = recon.Status("ok" + mdHTML)
		s.Attach(root.ID, rep, t0.Add(time.Duration(i)*time.Minute))
		c := s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotKind(`domain"]; evil [URL="javascript:x` + "\n  click e1 call alert()"),
			Value: "kind" + termEsc, Relation: "SAN\n  click e2 href \"javascript:alert(4)\"" + dotBreakout})
		s.AddNote(c.ID, "note "+mdHTML+termEsc, t0)
		s.MarkFalsePositive(root.ID, "rule|"+mdHTML, "why "+mdHTML+mmStatement, t0)
	}
	return s
}

// TestExportsTreatEveryFieldAsData exports the hostile session in every
// format and checks it holds only what the exporter writes itself.
func TestExportsTreatEveryFieldAsData(t *testing.T) {
	s := hostileSession()
	for _, f := range Formats {
		t.Run(f, func(t *testing.T) {
			out := render(t, f, s)
			if err := checkExport(f, out); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestExportClassesOnTheirOwn checks each class of issue 12 item 3 with the
// output it produced before the fix.
func TestExportClassesOnTheirOwn(t *testing.T) {
	s := hostileSession()
	out := map[string]string{}
	for _, f := range Formats {
		out[f] = string(render(t, f, s))
	}
	tests := []struct {
		name, format string
		bad          []string
	}{
		{"dot: a level cannot add an attribute", "dot", []string{`URL="javascript`}},
		{"dot: ids are short", "dot", []string{`"domain:aaaaaaaaaaaaaaaa`}},
		{"mermaid: a newline cannot add a statement", "mermaid", []string{"\n  click", "\n  %%{init"}},
		{"mermaid: no directive in a label", "mermaid", []string{"%%{", "{\"theme\""}},
		{"mermaid: class names from the list", "mermaid", []string{"class e1 red\"", "class e1 " + dotBreakout[:5] + "\""}},
		{"md: no HTML from a level", "md", []string{"<img", "onerror=alert(3)>"}},
		{"md: no heading from a level", "md", []string{"\n# Injected"}},
		{"csv: no raw ESC", "csv", []string{"\x1b"}},
		{"stix: no raw ESC or C1", "stix", []string{"\x1b", "\u009b", "\u202e"}},
		{"json: no raw C1 or bidi", "json", []string{"\u009b", "\u202e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range tt.bad {
				if i := strings.Index(out[tt.format], b); i >= 0 {
					t.Errorf("%q in the %s output: %q", b, tt.format, around([]byte(out[tt.format]), i))
				}
			}
		})
	}
	// DOT renders with Graphviz, whose strings stop at 16,384 bytes.
	if err := checkDOT([]byte(out["dot"])); err != nil {
		t.Error(err)
	}
}

// TestHostileDOTRenders renders the hostile session with Graphviz: the
// 20,000-character value does not stop dot, and no attribute of the data
// became a link in the SVG.
func TestHostileDOTRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz `dot` not on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(string(render(t, "dot", hostileSession())))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	svg, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
	}
	// The data shows as text (&quot;javascript:…); no element is a link.
	if strings.Contains(string(svg), "<a ") || strings.Contains(string(svg), "href=") {
		t.Errorf("the SVG holds a link from the data")
	}
}
