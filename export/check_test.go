package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The checks below say what an export may contain, whatever the session
// held: they accept only the statements, attributes, lines and cells the
// exporters write themselves. They are used by the per-class tests and by
// FuzzExport, and return an error naming the first offending line.

// checkControls fails on a raw control character (anything but newline
// below 0x20, DEL, C1), a bidi or invisible character the sanitiser
// escapes, or invalid UTF-8.
func checkControls(out []byte) error {
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Errorf("invalid UTF-8 byte %#x at offset %d: %q", out[i], i, around(out, i))
		}
		if unsafeRune(r) {
			return fmt.Errorf("raw control or invisible character %U at offset %d: %q", r, i, around(out, i))
		}
		i += size
	}
	return nil
}

func around(b []byte, i int) string { return string(b[max(0, i-40):min(len(b), i+40)]) }

// DOT: one statement per line, each of a shape writeDOT writes; quoted
// strings hold only escaped quotes, escaped backslashes and \n.
const dotStr = `"(?:[^"\\\n]|\\[\\"n])*"`

var dotLines = []*regexp.Regexp{
	regexp.MustCompile(`^digraph netspecter \{$`),
	regexp.MustCompile(`^  graph \[rankdir=LR, newrank=true, fontname="Helvetica", label=` + dotStr + `, labelloc=t\];$`),
	regexp.MustCompile(`^  node \[shape=box, style="rounded,filled", fontname="Helvetica"\];$`),
	regexp.MustCompile(`^  edge \[fontname="Helvetica", fontsize=10\];$`),
	regexp.MustCompile(`^  subgraph cluster_\d+ \{$`),
	regexp.MustCompile(`^    label=` + dotStr + `;$`),
	regexp.MustCompile(`^    style=dashed;$`),
	regexp.MustCompile(`^    color="#c0392b";$`),
	regexp.MustCompile(`^ {2,4}e\d+ \[label=` + dotStr + `, fillcolor="#[0-9a-f]{6}"\];$`),
	regexp.MustCompile(`^  e\d+ -> e\d+ \[label=` + dotStr + `\];$`),
	regexp.MustCompile(`^  \}$`),
	regexp.MustCompile(`^\}$`),
}

var dotQuoted = regexp.MustCompile(dotStr)

func checkDOT(out []byte) error {
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	for i, l := range lines {
		ok := false
		for _, re := range dotLines {
			if re.MatchString(l) {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("dot line %d is not a statement the exporter writes: %q", i+1, clip(l, 300))
		}
		for _, q := range dotQuoted.FindAllString(l, -1) {
			if len(q) > 16384 {
				return fmt.Errorf("dot line %d: a %d-byte string (Graphviz refuses more than 16384)", i+1, len(q))
			}
		}
	}
	if lines[0] != "digraph netspecter {" || lines[len(lines)-1] != "}" {
		return fmt.Errorf("dot: not one digraph")
	}
	return nil
}

// Mermaid: one statement per line; a label holds no character Mermaid,
// its directives (%%{init}%%) or the HTML it renders to would read, except
// inside an entity code (#quot; #35;).
var (
	mmLines = []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^  %% netspecter-tui investigation, exported [0-9TZ:-]*$`),
		regexp.MustCompile(`^  classDef (red|yellow|green|unknown) [a-z:#0-9,]+$`),
		regexp.MustCompile(`^  subgraph g\d+\["([^"]*)"\]$`),
		regexp.MustCompile(`^  end$`),
		regexp.MustCompile(`^ {2,4}e\d+\["([^"]*)"\]$`),
		regexp.MustCompile(`^  e\d+ -->\|"([^"]*)"\| e\d+$`),
		regexp.MustCompile(`^  class e\d+ (red|yellow|green|unknown)$`),
	}
	mmEntityCode = regexp.MustCompile(`#(?:quot|[0-9]+);`)
)

// mmForbidden are the characters a Mermaid label never holds raw.
const mmForbidden = "\"#%{}':;<>&`|\\[]"

func checkMermaid(out []byte) error {
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	for i, l := range lines {
		var m []string
		for _, re := range mmLines {
			if m = re.FindStringSubmatch(l); m != nil {
				break
			}
		}
		if m == nil {
			return fmt.Errorf("mermaid line %d is not a statement the exporter writes: %q", i+1, clip(l, 300))
		}
		if len(m) > 1 && strings.HasPrefix(strings.TrimSpace(l), "e") || strings.HasPrefix(strings.TrimSpace(l), "subgraph") {
			if bad := strings.IndexAny(mmEntityCode.ReplaceAllString(m[1], ""), mmForbidden); bad >= 0 {
				return fmt.Errorf("mermaid line %d: label holds a raw special character: %q", i+1, clip(l, 300))
			}
		}
	}
	if lines[0] != "flowchart LR" {
		return fmt.Errorf("mermaid: does not start with flowchart LR")
	}
	return nil
}

// Markdown: no raw HTML or entity outside fenced blocks, fences closed,
// one title, section headings from the report's own list, and every table
// row with as many cells as its header.
var (
	mdSections = map[string]bool{
		"## Overall assessments": true, "## Build the picture": true, "## Clusters": true,
		"## Comparison matrix": true, "## Registration timeline": true, "## Pivot tree": true,
		"## Analyst notes": true, "## Evidence appendix": true, "## Shared values": true,
	}
	mdAmp = regexp.MustCompile(`&(?:amp|lt|gt);`)
)

func checkMarkdown(out []byte) error {
	lines := strings.Split(string(out), "\n")
	titles := 0
	header := -1 // cells of the current table's header, -1 outside a table
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := fenceOpen.FindStringSubmatch(l); m != nil {
			closed := false
			for i++; i < len(lines); i++ {
				if lines[i] == m[1] {
					closed = true
					break
				}
				if strings.HasPrefix(lines[i], "```") && strings.Trim(lines[i], "`") == "" && len(lines[i]) >= len(m[1]) {
					return fmt.Errorf("md line %d closes a fence early", i+1)
				}
			}
			if !closed {
				return fmt.Errorf("md: fence %q never closed", m[1])
			}
			header = -1
			continue
		}
		if strings.ContainsAny(l, "<>") {
			return fmt.Errorf("md line %d holds raw < or > (HTML): %q", i+1, clip(l, 300))
		}
		if strings.Count(l, "&") != len(mdAmp.FindAllString(l, -1)) {
			return fmt.Errorf("md line %d holds a raw & (an entity): %q", i+1, clip(l, 300))
		}
		switch {
		case strings.HasPrefix(l, "# "):
			titles++
		case strings.HasPrefix(l, "## "):
			if !mdSections[l] {
				return fmt.Errorf("md line %d: a section heading the report does not write: %q", i+1, clip(l, 300))
			}
		case strings.HasPrefix(l, "#"):
			if !strings.HasPrefix(l, "### ") && !strings.HasPrefix(l, "#### ") {
				return fmt.Errorf("md line %d: a heading the report does not write: %q", i+1, clip(l, 300))
			}
		case strings.HasPrefix(l, "|"):
			n := len(splitRow(l))
			if header < 0 {
				header = n
			} else if n != header {
				return fmt.Errorf("md line %d: %d cells, the table header has %d: %q", i+1, n, header, clip(l, 300))
			}
			continue
		}
		header = -1
	}
	if titles != 1 {
		return fmt.Errorf("md: %d title lines, want 1", titles)
	}
	return nil
}

func checkCSV(out []byte) error {
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = len(CSVHeader)
	rows, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("csv: %v", err)
	}
	for i, row := range rows {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				return fmt.Errorf("csv row %d: cell %q starts a formula", i+1, clip(c, 100))
			}
			if strings.ContainsRune(c, '\n') {
				return fmt.Errorf("csv row %d: cell %q spans lines", i+1, clip(c, 100))
			}
		}
	}
	return nil
}

var stixTypes = map[string]bool{
	"identity": true, "domain-name": true, "ipv4-addr": true, "ipv6-addr": true, "autonomous-system": true,
	"x509-certificate": true, "email-addr": true, "relationship": true, "indicator": true, "grouping": true, "note": true, "file": true,
}

func checkSTIX(out []byte) error {
	var b struct {
		Type    string                       `json:"type"`
		ID      string                       `json:"id"`
		Objects []map[string]json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(out, &b); err != nil {
		return fmt.Errorf("stix: not JSON: %v", err)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") {
		return fmt.Errorf("stix: not a bundle")
	}
	for _, o := range b.Objects {
		var typ string
		if err := json.Unmarshal(o["type"], &typ); err != nil || !stixTypes[typ] {
			return fmt.Errorf("stix: object of type %q", typ)
		}
	}
	return nil
}

// checkExport runs the checks of one format on out.
func checkExport(format string, out []byte) error {
	if err := checkControls(out); err != nil {
		return fmt.Errorf("%s: %w", format, err)
	}
	switch format {
	case "dot":
		return checkDOT(out)
	case "mermaid":
		return checkMermaid(out)
	case "md":
		return checkMarkdown(out)
	case "csv":
		return checkCSV(out)
	case "stix":
		return checkSTIX(out)
	case "json":
		if !json.Valid(out) {
			return fmt.Errorf("json: not valid JSON")
		}
	}
	return nil
}
