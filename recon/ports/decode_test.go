package ports

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		ports   []int
		wantErr string
	}{
		{name: "host", in: `{"cpes":["cpe:/a:nginx:nginx"],"hostnames":["a.example"],"ip":"192.0.2.1","ports":[80,443],"tags":["cdn"],"vulns":["CVE-2021-23017"]}`, ports: []int{80, 443}},
		{name: "nulls", in: `{"cpes":null,"hostnames":null,"ip":"192.0.2.1","ports":null,"tags":null,"vulns":null}`},
		{name: "unknown field kept quiet", in: `{"ip":"192.0.2.1","ports":[22],"new_field":{"x":1}}`, ports: []int{22}},
		{name: "not found body", in: `{"detail":"No information available"}`, wantErr: "No information available"},
		{name: "validation error body", in: `{"detail":[{"loc":["path","ip"],"msg":"bad","type":"value_error"}]}`, wantErr: "InternetDB said"},
		{name: "empty object", in: `{}`, wantErr: `no "ip"`},
		{name: "array", in: `[1,2]`, wantErr: "not valid JSON"},
		{name: "truncated", in: `{"ip":"192.0.2.1","ports":[80,`, wantErr: "not valid JSON"},
		{name: "html", in: `<html>502 Bad Gateway</html>`, wantErr: "not valid JSON"},
		{name: "empty", in: ``, wantErr: "not valid JSON"},
		{name: "port out of range", in: `{"ip":"192.0.2.1","ports":[70000]}`, wantErr: "out of range"},
		{name: "negative port", in: `{"ip":"192.0.2.1","ports":[-1]}`, wantErr: "out of range"},
		{name: "float port", in: `{"ip":"192.0.2.1","ports":[80.5]}`, wantErr: "not valid JSON"},
		{name: "trailing data", in: `{"ip":"192.0.2.1"}{"ip":"192.0.2.2"}`, wantErr: "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Decode(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Decode = %+v, %v; want error with %q", h, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.IP != "192.0.2.1" || !slices.Equal(h.Ports, tt.ports) {
				t.Errorf("Decode = %+v", h)
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	big := `{"ip":"192.0.2.1","tags":["` + strings.Repeat("x", MaxDecode) + `"]}`
	if _, err := Decode(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Decode(oversized) = %v", err)
	}
}

// hostSchema compiles the Host schema of InternetDB's own OpenAPI document.
func hostSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(recontest.Corpus(t, "internetdb", "internetdb.shodan.io_openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("internetdb-openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("internetdb-openapi.json#/components/schemas/Host")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("body does not match InternetDB's Host schema: %v\n%s", err, body)
	}
}

// TestCorpus1111 turns the documented 1.1.1.1 answer (a Perl data-structure
// rendering on metacpan, not raw JSON) into JSON by quoting its keys and
// adding the colons — its values are already JSON literals — then checks
// the result against InternetDB's schema and decodes it.
func TestCorpus1111(t *testing.T) {
	raw, err := os.ReadFile(recontest.Corpus(t, "internetdb", "documented_1.1.1.1_metacpan-Webservice-InternetDB-API.txt"))
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?m)^(\s*)([a-z]+)\s+`).ReplaceAll(raw, []byte(`$1"$2": `))
	validate(t, hostSchema(t), body)
	h, err := Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("Decode(converted metacpan sample): %v\n%s", err, body)
	}
	if h.IP != "1.1.1.1" || !slices.Equal(h.Ports, []int{53, 80, 443, 2082, 2083, 2087, 8080, 8443, 8880}) ||
		!slices.Equal(h.Hostnames, []string{"one.one.one.one"}) || len(h.CPEs)+len(h.Tags)+len(h.Vulns) != 0 {
		t.Errorf("Decode = %+v", h)
	}
}

// TestCorpus369422209 rebuilds the answer for 36.94.222.209 from the R
// data-frame print in hrbrmstr/internetdb's README (not raw JSON): the
// values are read from the printed rows ("NULL" is an empty list, list
// cells are ", "-separated) and the JSON is built here with encoding/json.
func TestCorpus369422209(t *testing.T) {
	raw, err := os.ReadFile(recontest.Corpus(t, "internetdb", "documented_36.94.222.209_hrbrmstr-internetdb-README.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string // the "## 1 ..." value rows, in order: ip/ports/hostnames/tags, cpes, vulns
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "## 1 "); ok {
			rows = append(rows, strings.TrimSpace(v))
		}
	}
	if len(rows) != 3 {
		t.Fatalf("found %d value rows in the R print, want 3", len(rows))
	}
	m := regexp.MustCompile(`^(\S+)\s+((?:\d+, )*\d+)\s+(\S+)\s+(\S+)$`).FindStringSubmatch(rows[0])
	if m == nil {
		t.Fatalf("first row %q does not have the expected columns", rows[0])
	}
	list := func(s string) []string {
		if s == "NULL" {
			return []string{}
		}
		return strings.Split(s, ", ")
	}
	var ports []int
	for _, p := range list(m[2]) {
		var n int
		if err := json.Unmarshal([]byte(p), &n); err != nil {
			t.Fatal(err)
		}
		ports = append(ports, n)
	}
	body, err := json.Marshal(map[string]any{
		"ip": m[1], "ports": ports, "hostnames": list(m[3]), "tags": list(m[4]),
		"cpes": list(rows[1]), "vulns": list(rows[2]),
	})
	if err != nil {
		t.Fatal(err)
	}
	validate(t, hostSchema(t), body)
	h, err := Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if h.IP != "36.94.222.209" || !slices.Equal(h.Ports, []int{80, 3306, 9999}) || len(h.Hostnames) != 0 ||
		!slices.Equal(h.Tags, []string{"database"}) || len(h.CPEs) != 6 || len(h.Vulns) != 50 ||
		h.CPEs[2] != "cpe:/a:php:php:5.3.14 ZendServer" || h.Vulns[0] != "CVE-2011-3210" {
		t.Errorf("Decode = %+v", h)
	}
}

// TestSchemaAgreesWithTestBodies checks the hand-built bodies used by the
// module tests against the schema, so they cannot drift from InternetDB's shape.
func TestSchemaAgreesWithTestBodies(t *testing.T) {
	s := hostSchema(t)
	validate(t, s, []byte(hostBody("185.220.101.47", `[22,80,443,8443]`, `["mail.nova-parcels.com","nova-parcels.com"]`, `["CVE-2023-44487"]`)))
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"cpes":[],"hostnames":["one.one.one.one"],"ip":"1.1.1.1","ports":[53,80,443],"tags":[],"vulns":[]}`,
		`{"detail":"No information available"}`,
		`{"ip":"192.0.2.1","ports":[70000]}`,
		`[]`, `null`, `{"ip":null}`, `{"ip":"\u001b[31m"}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Decode(bytes.NewReader(b))
		if (h == nil) == (err == nil) {
			t.Fatalf("Decode returned host %v and error %v", h, err)
		}
		if err == nil {
			for _, p := range h.Ports {
				if p < 0 || p > 65535 {
					t.Fatalf("port %d accepted", p)
				}
			}
		}
	})
}
