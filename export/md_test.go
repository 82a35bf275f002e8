package export

import (
	"regexp"
	"strings"
	"testing"
)

// mdDoc is a Markdown report split into what the tests check: the lines
// outside fenced blocks, the tables (by the heading above them) and the
// fenced blocks.
type mdDoc struct {
	text   []string
	tables map[string][][]string // heading → rows of cells (header first, separator dropped)
	fences []string
}

// splitRow splits a table row on unescaped pipes.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		cells = append(cells, rest) // a row without a closing pipe
	}
	return cells
}

var fenceOpen = regexp.MustCompile("^(`{3,})([a-z]*)$")

func parseMD(t *testing.T, out string) mdDoc {
	t.Helper()
	d := mdDoc{tables: map[string][][]string{}}
	lines := strings.Split(out, "\n")
	heading := ""
	var table [][]string
	flush := func() {
		if table != nil {
			if _, dup := d.tables[heading]; dup {
				heading += "+"
			}
			d.tables[heading] = table
			table = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := fenceOpen.FindStringSubmatch(l); m != nil {
			flush()
			var body []string
			closed := false
			for i++; i < len(lines); i++ {
				if lines[i] == m[1] {
					closed = true
					break
				}
				if strings.HasPrefix(lines[i], m[1]) && strings.Trim(lines[i], "`") == "" {
					t.Fatalf("line %d closes the fence early: %q", i+1, lines[i])
				}
				body = append(body, lines[i])
			}
			if !closed {
				t.Fatalf("fence %q opened and never closed", m[1])
			}
			d.fences = append(d.fences, strings.Join(body, "\n"))
			continue
		}
		d.text = append(d.text, l)
		if strings.HasPrefix(l, "#") {
			flush()
			heading = strings.TrimSpace(strings.TrimLeft(l, "#"))
			continue
		}
		if strings.HasPrefix(l, "|") {
			cells := splitRow(l)
			if table == nil {
				table = [][]string{cells}
				continue
			}
			if len(table) == 1 && len(d.tables) >= 0 && strings.Trim(strings.Join(cells, ""), "-") == "" {
				table = append(table, nil) // separator marker
				continue
			}
			table = append(table, cells)
			continue
		}
		flush()
	}
	flush()
	// Check and drop the separator markers.
	for h, tb := range d.tables {
		if len(tb) < 2 || tb[1] != nil {
			t.Fatalf("table under %q has no separator row", h)
		}
		rows := append([][]string{tb[0]}, tb[2:]...)
		for i, r := range rows {
			if len(r) != len(rows[0]) {
				t.Fatalf("table under %q: row %d has %d cells, header has %d: %q", h, i, len(r), len(rows[0]), r)
			}
		}
		d.tables[h] = rows
	}
	return d
}

func TestMarkdown(t *testing.T) {
	s := demoSession()
	raw := render(t, "md", s)
	noControl(t, "md", raw)
	out := string(raw)
	d := parseMD(t, out)
	text := strings.Join(d.text, "\n")

	for _, h := range []string{"## Overall assessments", "## Build the picture", "## Clusters", "## Comparison matrix",
		"## Registration timeline", "## Pivot tree", "## Analyst notes", "### False positives", "## Evidence appendix"} {
		if !strings.Contains(text, "\n"+h+"\n") {
			t.Errorf("missing section %q", h)
		}
	}
	if !strings.Contains(text, "| Generated | 2024-11-20T12:00:00Z") {
		t.Error("the generation time is not Options.Now")
	}

	// Comparison matrix: a row per scanned domain, eleven columns.
	cmp := d.tables["Comparison matrix"]
	if len(cmp) != 7 || len(cmp[0]) != 11 {
		t.Fatalf("comparison matrix: %d rows × %d columns, want 7 × 11: %q", len(cmp), len(cmp[0]), cmp)
	}
	row := map[string][]string{}
	for _, r := range cmp[1:] {
		row[r[0]] = r
	}
	nova := row["nova-parcels.com"]
	wantNova := []string{"nova-parcels.com", novaIP, "185.220.101.0/24", "AS205100 Stark Industries Solutions", "NameCheap, Inc.",
		"dns1.registrar-servers.com, dns2.registrar-servers.com", shaNova[:16], "2024-11-10", "spf:none dmarc:none", "—", "■ red"}
	if strings.Join(nova, "|") != strings.Join(wantNova, "|") {
		t.Errorf("nova-parcels.com row = %q\nwant %q", nova, wantNova)
	}
	// The hostile value is escaped, so it stays one cell.
	if _, ok := row["evil\\|\\`x\\`.com"]; !ok {
		t.Errorf("hostile domain not escaped in the matrix: %v", cmp)
	}

	// Timeline: sorted by creation, gaps, the window cluster marked.
	tl := d.tables["Registration timeline"]
	if len(tl) != 7 {
		t.Fatalf("timeline has %d rows: %q", len(tl), tl)
	}
	for i := 2; i < len(tl); i++ {
		if tl[i][0] < tl[i-1][0] {
			t.Errorf("timeline not sorted: %q before %q", tl[i-1][0], tl[i][0])
		}
	}
	marked := 0
	for _, r := range tl[1:] {
		if strings.HasPrefix(r[1], "nova-") {
			if !strings.Contains(r[4], "cluster c1") {
				t.Errorf("%s not marked as in the window cluster: %q", r[1], r)
			}
			marked++
		} else if r[4] != "—" {
			t.Errorf("%s marked: %q", r[1], r)
		}
		if r[1] == "nova-tracking.net" && r[3] != "1.3" {
			t.Errorf("gap before nova-tracking.net = %q, want 1.3", r[3])
		}
	}
	if marked != 3 {
		t.Errorf("%d nova domains in the timeline, want 3", marked)
	}

	// The seed's table per domain: seven rows, three columns.
	pic := d.tables["nova-parcels.com"]
	if len(pic) != 8 || len(pic[0]) != 3 {
		t.Fatalf("build-the-picture table of nova-parcels.com: %q", pic)
	}
	for _, want := range []string{"created 2024-11-10", "AS205100", "nova-returns.co", "shares the registrar (weight 0.25: Namecheap: about 1 in 20 registered domains, says little) with nova-tracking.net", "spf:none dmarc:none", "0 names", "zen.spamhaus.org"} {
		if !strings.Contains(strings.Join(flatten(pic), " "), want) {
			t.Errorf("build-the-picture of nova-parcels.com lacks %q", want)
		}
	}

	// Cluster with what it shares.
	var cl [][]string
	for title, tb := range d.tables {
		if strings.HasPrefix(title, "Cluster c1 (score ") {
			cl = tb
		}
	}
	if len(cl) < 5 || len(cl[0]) != 4 {
		t.Errorf("cluster table: %q", cl)
	}
	for _, r := range cl[1:] {
		if r[2] == "" || r[3] == "" {
			t.Errorf("cluster row without weight or why: %q", r)
		}
	}
	// Notes: HTML and pipes escaped.
	notes := d.tables["Analyst notes"]
	if len(notes) != 3 {
		t.Fatalf("notes: %q", notes)
	}
	if n := strings.Join(flatten(notes), " "); strings.Contains(n, "<b>") || !strings.Contains(n, "&lt;b&gt;urgent") || !strings.Contains(n, "\\|") {
		t.Errorf("note not escaped: %s", n)
	}
	if strings.Contains(text, "<script") {
		t.Error("raw HTML outside a fenced block")
	}

	// Hostile TXT: only the visible escape, in the evidence.
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\a") {
		t.Fatal("raw escape characters in the report")
	}
	found := false
	for _, f := range d.fences {
		if strings.Contains(f, `\x1b]52;c;ZXZpbA==\x07`) {
			found = true
		}
	}
	if !found {
		t.Error("the hostile TXT record is not shown (sanitised) in the evidence")
	}
	// WHOIS with a five-backtick run is fenced with six and kept whole.
	whole := false
	for _, f := range d.fences {
		if strings.Contains(f, "````` ok") && strings.Contains(f, `\x1b[2Jcleared`) {
			whole = true
		}
	}
	if !whole {
		t.Error("hostile WHOIS evidence was cut or not sanitised")
	}
	if !strings.Contains(out, "\n``````text\n") {
		t.Error("no six-backtick fence around the five-backtick WHOIS")
	}

	// Pivot tree: a nested list with the relation of each child.
	if !strings.Contains(text, "- **nova-parcels.com** (domain) ■ red") || !strings.Contains(text, "\n  - _A_ → **185.220.101.47** (ip)") {
		t.Error("pivot tree missing or not nested")
	}
	// The false positive is shown struck through with its reason.
	if !strings.Contains(text, "~~note behind Cloudflare") || !strings.Contains(text, "CDN use is expected") {
		t.Error("false positive not shown")
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestMDEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain.example", "plain.example"},
		{"a|b", `a\|b`},
		{"`x`", "\\`x\\`"},
		{"<img src=x>", "&lt;img src=x&gt;"},
		{"[click](http://evil)", `\[click\](http://evil)`},
		{"line\nbreak", `line\\x0abreak`},
		{"\x1b]0;title\a", `\\x1b\]0;title\\x07`},
		{"*bold* _it_", `\*bold\* \_it\_`},
	}
	for _, tt := range tests {
		if got := md(tt.in); got != tt.want {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
