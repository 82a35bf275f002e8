package export

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// stixSchemas compiles the official STIX 2.1 schemas from disk. Every file
// is registered under its $id, so no $ref is ever fetched.
type stixSchemas struct {
	c    *jsonschema.Compiler
	base string // $id prefix up to "schemas/"
	memo map[string]*jsonschema.Schema
}

func loadSTIXSchemas(t *testing.T) *stixSchemas {
	t.Helper()
	root := recontest.Corpus(t, "stix-schemas", "schemas")
	st := &stixSchemas{c: jsonschema.NewCompiler(), memo: map[string]*jsonschema.Schema{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return err
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			t.Fatalf("%s has no $id", path)
		}
		rel, _ := filepath.Rel(root, path)
		if i := strings.Index(id, "schemas/"+filepath.ToSlash(rel)); i > 0 {
			st.base = id[:i+len("schemas/")]
		}
		return st.c.AddResource(id, doc)
	})
	if err != nil {
		t.Fatalf("loading STIX schemas: %v", err)
	}
	if st.base == "" {
		t.Fatal("could not work out the schemas' $id base")
	}
	return st
}

func (st *stixSchemas) schema(t *testing.T, rel string) *jsonschema.Schema {
	t.Helper()
	if s, ok := st.memo[rel]; ok {
		return s
	}
	s, err := st.c.Compile(st.base + rel)
	if err != nil {
		t.Fatalf("compiling %s: %v", rel, err)
	}
	st.memo[rel] = s
	return s
}

// bundleTypes returns the object types whose schema bundle.json references.
func (st *stixSchemas) bundleTypes(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recontest.Corpus(t, "stix-schemas", "schemas"), "common", "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`"\.\./(?:sdos|sros|observables)/([a-z0-9-]+)\.json"`).FindAllSubmatch(b, -1) {
		out[string(m[1])] = true
	}
	if !out["indicator"] || !out["relationship"] || !out["domain-name"] {
		t.Fatalf("could not read the object list of bundle.json: %v", out)
	}
	return out
}

var sdoTypes = map[string]bool{"identity": true, "indicator": true, "grouping": true, "note": true}
var scoTypes = map[string]bool{"domain-name": true, "ipv4-addr": true, "ipv6-addr": true, "autonomous-system": true,
	"x509-certificate": true, "email-addr": true}

func schemaFor(typ string) string {
	switch {
	case sdoTypes[typ]:
		return "sdos/" + typ + ".json"
	case scoTypes[typ]:
		return "observables/" + typ + ".json"
	case typ == "relationship":
		return "sros/relationship.json"
	}
	return ""
}

// checkBundle validates the bundle and every object against the official
// schemas, then the rules they do not cover.
func checkBundle(t *testing.T, st *stixSchemas, out []byte) []map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	// The official bundle.json lists the object schemas it accepts, but
	// leaves out grouping, note, location and opinion (the same defect as
	// oasis-open/cti-stix2-json-schemas#133 for infrastructure), so such
	// objects fail its oneOf whatever they hold. Validate the envelope with
	// the objects it knows; every object is validated against its own
	// schema below.
	listed := st.bundleTypes(t)
	env := map[string]any{}
	for k, v := range inst.(map[string]any) {
		env[k] = v
	}
	var known []any
	for _, o := range inst.(map[string]any)["objects"].([]any) {
		if listed[o.(map[string]any)["type"].(string)] {
			known = append(known, o)
		}
	}
	env["objects"] = known
	if err := st.schema(t, "common/bundle.json").Validate(env); err != nil {
		t.Fatalf("bundle: %v", err)
	}
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(out, &bundle); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, o := range inst.(map[string]any)["objects"].([]any) {
		obj := o.(map[string]any)
		typ, _ := obj["type"].(string)
		id, _ := obj["id"].(string)
		rel := schemaFor(typ)
		if rel == "" {
			t.Fatalf("object %d has a type the test does not know: %q", i, typ)
		}
		if err := st.schema(t, rel).Validate(obj); err != nil {
			t.Errorf("%s %s: %v", typ, id, err)
		}
		if obj["spec_version"] != "2.1" {
			t.Errorf("%s: spec_version %v", id, obj["spec_version"])
		}
		if !strings.HasPrefix(id, typ+"--") {
			t.Errorf("id %s does not start with its type", id)
		}
		if ids[id] {
			t.Errorf("duplicate id %s", id)
		}
		ids[id] = true
		if c, m := obj["created"], obj["modified"]; c != nil || m != nil {
			if c == nil || m == nil || c.(string) > m.(string) { // same fixed-width format: string order is time order
				t.Errorf("%s: created %v > modified %v", id, c, m)
			}
		}
	}
	// Every reference resolves inside the bundle.
	for _, obj := range bundle.Objects {
		for k, v := range obj {
			switch {
			case strings.HasSuffix(k, "_ref"):
				if !ids[v.(string)] {
					t.Errorf("%s.%s = %v points outside the bundle", obj["id"], k, v)
				}
			case strings.HasSuffix(k, "_refs"):
				for _, r := range v.([]any) {
					if !ids[r.(string)] {
						t.Errorf("%s.%s has %v, outside the bundle", obj["id"], k, r)
					}
				}
			}
		}
	}
	return bundle.Objects
}

func TestSTIX(t *testing.T) {
	st := loadSTIXSchemas(t)
	s := demoSession()
	out := render(t, "stix", s)
	objs := checkBundle(t, st, out)

	// Deterministic: a second export, and one of the session read back
	// from its file, are byte-identical.
	if again := render(t, "stix", demoSession()); !bytes.Equal(out, again) {
		t.Fatal("two exports of the same session differ")
	}
	back, err := pivot.Unmarshal(render(t, "json", s))
	if err != nil {
		t.Fatal(err)
	}
	if reloaded := render(t, "stix", back); !bytes.Equal(out, reloaded) {
		t.Error("the export of the reloaded session differs")
	}

	byType := map[string][]map[string]any{}
	byValue := map[string]map[string]any{}
	for _, o := range objs {
		byType[o["type"].(string)] = append(byType[o["type"].(string)], o)
		if v, ok := o["value"].(string); ok {
			byValue[v] = o
		}
	}
	// SCO ids follow the spec: UUIDv5 over the id contributing properties.
	wantID := "domain-name--" + uuid.NewSHA1(uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7"), []byte(`{"value":"nova-parcels.com"}`)).String()
	if got := byValue["nova-parcels.com"]["id"]; got != wantID {
		t.Errorf("nova-parcels.com id = %v, want %s", got, wantID)
	}
	if byValue[novaIP]["type"] != "ipv4-addr" || byValue["185.220.101.0/24"]["type"] != "ipv4-addr" {
		t.Error("IP or network not exported as ipv4-addr")
	}
	var cert map[string]any
	for _, o := range byType["x509-certificate"] {
		if o["hashes"].(map[string]any)["SHA-256"] == shaNova {
			cert = o
		}
	}
	if cert == nil || cert["subject"] != "CN=nova-parcels.com" || cert["issuer"] == nil || cert["serial_number"] == nil || cert["validity_not_after"] == nil {
		t.Errorf("nova certificate: %v", cert)
	}
	var asn map[string]any
	for _, o := range byType["autonomous-system"] {
		if o["number"].(float64) == 205100 {
			asn = o
		}
	}
	if asn == nil || asn["name"] != "Stark Industries Solutions" {
		t.Errorf("AS205100: %v", asn)
	}

	// Relationships: resolves-to domain→ip, belongs-to ip→AS.
	rels := map[string]bool{}
	for _, r := range byType["relationship"] {
		rels[r["source_ref"].(string)+" "+r["relationship_type"].(string)+" "+r["target_ref"].(string)] = true
	}
	for _, want := range []string{
		byValue["nova-parcels.com"]["id"].(string) + " resolves-to " + byValue[novaIP]["id"].(string),
		byValue[novaIP]["id"].(string) + " belongs-to " + asn["id"].(string),
		byValue["nova-parcels.com"]["id"].(string) + " related-to " + cert["id"].(string),
	} {
		if !rels[want] {
			t.Errorf("missing relationship %s", want)
		}
	}

	// Indicators: one per red domain/IP, with a pattern and the reasons.
	inds := map[string]map[string]any{}
	for _, o := range byType["indicator"] {
		inds[o["pattern"].(string)] = o
	}
	for _, v := range []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co", hostileDom} {
		ind := inds["[domain-name:value = '"+v+"']"]
		if ind == nil {
			t.Errorf("no indicator for %s (have %v)", v, keys(inds))
			continue
		}
		if ind["pattern_type"] != "stix" || !strings.Contains(ind["description"].(string), "red: ") {
			t.Errorf("indicator %s: %v", v, ind)
		}
	}
	if inds["[ipv4-addr:value = '"+novaIP+"']"] == nil {
		t.Error("no indicator for the listed IP")
	}
	if len(inds) != 5 {
		t.Errorf("%d indicators, want 5 (no green or yellow ones): %v", len(inds), keys(inds))
	}

	// A grouping per cluster with its members.
	if g := byType["grouping"]; len(g) != len(s.Clusters()) || g[0]["context"] != "suspicious-activity" || len(g[0]["object_refs"].([]any)) != 3 {
		t.Errorf("groupings: %v", g)
	}
	// Notes: two analyst notes and one false positive.
	if n := byType["note"]; len(n) != 3 {
		t.Errorf("%d notes, want 3", len(n))
	}
	if len(byType["identity"]) < 2 {
		t.Error("no tool identity or registrar identities")
	}
}

func TestSTIXEmptyAndPatternEscape(t *testing.T) {
	st := loadSTIXSchemas(t)
	objs := checkBundle(t, st, render(t, "stix", pivot.NewSession(t0)))
	if len(objs) != 1 || objs[0]["type"] != "identity" {
		t.Errorf("empty session bundle: %v", objs)
	}
	if got := stixString(`a'b\c`); got != `a\'b\\c` {
		t.Errorf("stixString = %q", got)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
