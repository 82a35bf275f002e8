package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/netspecter/netspecter-tui/export/internal/stixcheck"
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

func TestSTIX(t *testing.T) {
	st := stixcheck.Load(t)
	s := demoSession()
	out := render(t, "stix", s)
	objs := stixcheck.CheckBundle(t, st, out)

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
	// hostileDom has one flag (a young registration): yellow, no indicator.
	if inds["[domain-name:value = '"+hostileDom+"']"] != nil {
		t.Errorf("an indicator for %s, a yellow domain", hostileDom)
	}
	for _, v := range []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"} {
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
	if len(inds) != 4 {
		t.Errorf("%d indicators, want 4 (no green or yellow ones): %v", len(inds), keys(inds))
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
	st := stixcheck.Load(t)
	objs := stixcheck.CheckBundle(t, st, render(t, "stix", pivot.NewSession(t0)))
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

// TestSTIXOfAHostileSession: the bundle of a session with injections in
// every field still validates against the official schemas.
func TestSTIXOfAHostileSession(t *testing.T) {
	st := stixcheck.Load(t)
	stixcheck.CheckBundle(t, st, render(t, "stix", hostileSession()))
}

// TestSTIXIndicatorTimesDoNotMoveOnRescan: an indicator's created and
// valid_from are the value's first_seen; a rescan changes only modified.
func TestSTIXIndicatorTimesDoNotMoveOnRescan(t *testing.T) {
	s := pivot.NewSession(t0)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.Attach(a.ID, domainReport(nova("nova-parcels.com", "2024-11-10T09:12:00Z")), t0.Add(time.Minute))
	indicator := func() map[string]any {
		var b struct{ Objects []map[string]any }
		if err := json.Unmarshal(render(t, "stix", s), &b); err != nil {
			t.Fatal(err)
		}
		for _, o := range b.Objects {
			if o["type"] == "indicator" {
				return o
			}
		}
		t.Fatal("no indicator (the fixture is red)")
		return nil
	}
	before := indicator()
	again := domainReport(nova("nova-parcels.com", "2024-11-10T09:12:00Z"))
	again.Started = t0.Add(48 * time.Hour)
	s.Attach(a.ID, again, t0.Add(48*time.Hour+time.Minute))
	after := indicator()
	for _, k := range []string{"created", "valid_from", "id"} {
		if before[k] != after[k] {
			t.Errorf("%s moved on rescan: %v → %v", k, before[k], after[k])
		}
	}
	if before["modified"] == after["modified"] {
		t.Errorf("modified did not follow the rescan: %v", after["modified"])
	}
}
