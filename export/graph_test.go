package export

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dotLexer reads the DOT tokens the exporter writes: quoted strings (with
// escapes), identifiers, and punctuation.
func dotTokens(t *testing.T, src string) []string {
	t.Helper()
	var toks []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t':
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			b.WriteByte('"')
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					b.WriteByte(src[j])
					j++
				}
				if src[j] == '\n' {
					t.Fatalf("raw newline inside a DOT string at %d", j)
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				t.Fatalf("unterminated DOT string at %d", i)
			}
			b.WriteByte('"')
			toks = append(toks, b.String())
			i = j + 1
		case c == '-' && strings.HasPrefix(src[i:], "->"):
			toks = append(toks, "->")
			i += 2
		case strings.IndexByte("{}[];=,", c) >= 0:
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '.' || src[j] == '#' || src[j] >= '0' && src[j] <= '9' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z') {
				j++
			}
			if j == i {
				t.Fatalf("unexpected DOT character %q at %d: %q", c, i, src[i:min(len(src), i+40)])
			}
			toks = append(toks, src[i:j])
			i = j
		}
	}
	return toks
}

// dotID is the form of the node ids writeDOT writes.
var dotID = regexp.MustCompile(`^e[0-9]+$`)

type dotGraph struct {
	nodes    map[string]bool
	edges    [][2]string
	clusters int
}

// parseDOT reads statements: `ID [attrs];`, `ID -> ID [attrs];`,
// `subgraph ID { ... }`, `key=value;` and `graph|node|edge [attrs];`.
func parseDOT(t *testing.T, src string) dotGraph {
	t.Helper()
	toks := dotTokens(t, src)
	g := dotGraph{nodes: map[string]bool{}}
	if len(toks) < 4 || toks[0] != "digraph" || toks[2] != "{" || toks[len(toks)-1] != "}" {
		t.Fatalf("not a digraph: %q ... %q", toks[:min(3, len(toks))], toks[len(toks)-1])
	}
	depth := 0
	skipAttrs := func(i int) int {
		if i < len(toks) && toks[i] == "[" {
			for i < len(toks) && toks[i] != "]" {
				i++
			}
			i++
		}
		return i
	}
	for i := 2; i < len(toks); {
		switch tok := toks[i]; {
		case tok == "{":
			depth++
			i++
		case tok == "}":
			depth--
			i++
		case tok == ";":
			i++
		case tok == "subgraph":
			if !strings.HasPrefix(strings.Trim(toks[i+1], `"`), "cluster") || toks[i+2] != "{" {
				t.Fatalf("subgraph %q is not a cluster", toks[i+1])
			}
			g.clusters++
			i += 2
		case tok == "graph" || tok == "node" || tok == "edge":
			i = skipAttrs(i + 1)
		case i+1 < len(toks) && toks[i+1] == "=":
			i += 3
		case i+1 < len(toks) && toks[i+1] == "->":
			g.edges = append(g.edges, [2]string{tok, toks[i+2]})
			i = skipAttrs(i + 3)
		default:
			if !dotID.MatchString(tok) {
				t.Fatalf("unexpected token %q", tok)
			}
			if g.nodes[tok] {
				t.Fatalf("node %s declared twice", tok)
			}
			g.nodes[tok] = true
			i = skipAttrs(i + 1)
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced braces (%d)", depth)
	}
	return g
}

func TestDOT(t *testing.T) {
	s := demoSession()
	out := render(t, "dot", s)
	noControl(t, "dot", out)
	g := parseDOT(t, string(out))
	gr, err := buildGraph(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.nodes) != len(gr.Entities) || len(g.edges) != len(gr.Edges) {
		t.Fatalf("%d nodes, %d edges; want %d, %d", len(g.nodes), len(g.edges), len(gr.Entities), len(gr.Edges))
	}
	seen := map[[2]string]bool{}
	for _, e := range g.edges {
		if !g.nodes[e[0]] || !g.nodes[e[1]] {
			t.Errorf("edge %s -> %s has an undeclared end", e[0], e[1])
		}
		seen[e] = true
	}
	if g.clusters != len(s.Clusters()) || g.clusters == 0 {
		t.Errorf("%d cluster subgraphs, want %d", g.clusters, len(s.Clusters()))
	}
	// Hostile values: quoted and escaped, shown with visible escapes.
	if !strings.Contains(string(out), `[label="Evil | Registrar `+"`x`"+`\\x1b[31m\\u202e\nregistrar"`) {
		t.Errorf("hostile registrar label not sanitised/escaped as expected:\n%s", out)
	}
	if !strings.Contains(string(out), `  e1 [label="nova-parcels.com\ndomain · red"`) ||
		!regexp.MustCompile(`(?m)^  e1 -> e\d+ \[label="A"\];$`).Match(out) {
		t.Error("root node or its A edge missing")
	}
	// Hostile quotes and backslashes cannot break out of a string.
	evil := `a"b\c` + "\nd"
	if got := dotQ(evil); got != `"a\"b\\c\\x0ad"` {
		t.Errorf("dotQ(%q) = %s", evil, got)
	}

	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz `dot` not on PATH; the syntax check above ran, the render check did not")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	svg, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
	}
	if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("parcels.com")) {
		t.Fatal("dot produced no usable SVG")
	}
	if strings.Contains(stderr.String(), "Warning") {
		t.Errorf("dot warned: %s", stderr.String())
	}
}

var (
	mmNode     = regexp.MustCompile(`^\s*(e\d+)\["([^"]*)"\]$`)
	mmEdge     = regexp.MustCompile(`^\s*(e\d+) -->\|"([^"]*)"\| (e\d+)$`)
	mmSubgraph = regexp.MustCompile(`^\s*subgraph (g\d+)\["([^"]*)"\]$`)
	mmClass    = regexp.MustCompile(`^\s*class (e\d+) (red|yellow|green)$`)
	mmClassDef = regexp.MustCompile(`^\s*classDef (red|yellow|green) [a-z:#0-9,]+$`)
	mmComment  = regexp.MustCompile(`^\s*%%`)
	mmEntity   = regexp.MustCompile(`#[a-z0-9]+;`)
)

func TestMermaid(t *testing.T) {
	s := demoSession()
	out := render(t, "mermaid", s)
	noControl(t, "mermaid", out)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if lines[0] != "flowchart LR" {
		t.Fatalf("first line %q", lines[0])
	}
	declared := map[string]bool{}
	var edges [][2]string
	var classes []string
	depth, subgraphs := 0, 0
	checkLabel := func(l string) {
		// Every # starts an entity code, and nothing Mermaid or HTML reads.
		if strings.ContainsAny(mmEntity.ReplaceAllString(l, ""), "#<>&`|\"") {
			t.Errorf("label %q holds an unescaped special character", l)
		}
	}
	for i, l := range lines[1:] {
		switch {
		case mmComment.MatchString(l), mmClassDef.MatchString(l):
		case mmSubgraph.MatchString(l):
			m := mmSubgraph.FindStringSubmatch(l)
			checkLabel(m[2])
			depth++
			subgraphs++
		case strings.TrimSpace(l) == "end":
			depth--
		case mmNode.MatchString(l):
			m := mmNode.FindStringSubmatch(l)
			if declared[m[1]] {
				t.Errorf("node %s declared twice", m[1])
			}
			declared[m[1]] = true
			checkLabel(m[2])
		case mmEdge.MatchString(l):
			m := mmEdge.FindStringSubmatch(l)
			checkLabel(m[2])
			edges = append(edges, [2]string{m[1], m[3]})
		case mmClass.MatchString(l):
			classes = append(classes, mmClass.FindStringSubmatch(l)[1])
		default:
			t.Errorf("line %d is not a statement this exporter writes: %q", i+2, l)
		}
		if depth < 0 || depth > 1 {
			t.Fatalf("subgraph nesting broken at line %d", i+2)
		}
	}
	if depth != 0 || subgraphs != len(s.Clusters()) {
		t.Errorf("depth %d, %d subgraphs (want %d)", depth, subgraphs, len(s.Clusters()))
	}
	gr, err := buildGraph(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(declared) != len(gr.Entities) || len(edges) != len(gr.Edges) {
		t.Fatalf("%d nodes, %d edges; want %d, %d", len(declared), len(edges), len(gr.Entities), len(gr.Edges))
	}
	for _, e := range edges {
		if !declared[e[0]] || !declared[e[1]] {
			t.Errorf("edge %v has an undeclared end", e)
		}
	}
	for _, c := range classes {
		if !declared[c] {
			t.Errorf("class on undeclared node %s", c)
		}
	}
	if !strings.Contains(string(out), `evil#124;#96;x#96;.com`) {
		t.Error("hostile domain not escaped with entity codes")
	}
	if got := mermaidLabel(`say "hi" <b>#1</b>`); got != `say #quot;hi#quot; #60;b#62;#35;1#60;/b#62;` {
		t.Errorf("mermaidLabel = %q", got)
	}
}
