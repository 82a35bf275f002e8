package recon

import (
	"encoding/json"
	"strings"
	"testing"
)

// A WHOIS that could not be asked is never written as "registered": false,
// and older files that did so read back as unknown.
func TestWhoisRegistrationJSON(t *testing.T) {
	for _, tt := range []struct {
		name   string
		facts  WhoisFacts
		status Status
		want   string // "registered" in the JSON: "true", "false" or "" (absent)
		state  string
	}{
		{"record", WhoisFacts{Registered: true, Registration: RegRegistered}, StatusOK, "true", RegRegistered},
		{"record without state", WhoisFacts{Registered: true}, StatusOK, "true", RegRegistered},
		{"free", WhoisFacts{Registration: RegFree}, StatusOK, "false", RegFree},
		{"error", WhoisFacts{}, StatusError, "", RegUnknown},
		{"rate-limited", WhoisFacts{Source: "rdap"}, StatusRateLimited, "", RegUnknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := &Report{Modules: map[string]*ModuleResult{"whois": {Status: tt.status, Facts: &tt.facts}}}
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var raw struct {
				Modules map[string]struct {
					Facts map[string]json.RawMessage `json:"facts"`
				} `json:"modules"`
			}
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			got := string(raw.Modules["whois"].Facts["registered"])
			if got != tt.want || string(raw.Modules["whois"].Facts["registration"]) != `"`+tt.state+`"` {
				t.Errorf("JSON %s: registered %q, want %q; state %s", b, got, tt.want, tt.state)
			}
			var back Report
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if s := FactsOf[WhoisFacts](&back, "whois").State(); s != tt.state {
				t.Errorf("read back: %s, want %s", s, tt.state)
			}
		})
	}
	// An older file: "registered": false in a failed module's facts.
	old := `{"modules":{"whois":{"status":"error","error":"could not connect","facts":{"domain":"x.com","registered":false}},
		"other":{"status":"ok","facts":null}}}`
	var r Report
	if err := json.Unmarshal([]byte(old), &r); err != nil {
		t.Fatal(err)
	}
	if w := FactsOf[WhoisFacts](&r, "whois"); w.State() != RegUnknown || w.IsFree() {
		t.Errorf("older failed WHOIS reads as %s", w.State())
	}
	oldFree := strings.Replace(old, `"status":"error"`, `"status":"ok"`, 1)
	if err := json.Unmarshal([]byte(oldFree), &r); err != nil {
		t.Fatal(err)
	}
	if w := FactsOf[WhoisFacts](&r, "whois"); !w.IsFree() {
		t.Errorf("older free answer reads as %s", w.State())
	}
}

// "privacy" is written only when the record held registrant data: a
// script must not read a thin record's silence as "privacy": false.
func TestWhoisPrivacyJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		facts WhoisFacts
		want  string // "privacy" in the JSON, "" when absent
	}{
		{"thin record", WhoisFacts{Registered: true, Registrar: "NameCheap, Inc."}, ""},
		{"no registry answered", WhoisFacts{}, ""},
		{"registrant disclosed", WhoisFacts{Registered: true, RegistrantRead: true, RegistrantOrg: "Example Ltd"}, "false"},
		{"privacy service", WhoisFacts{Registered: true, Privacy: true, PrivacyEvidence: "Withheld for Privacy ehf"}, "true"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.facts)
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			if got := string(raw["privacy"]); got != tt.want {
				t.Errorf("JSON %s: privacy %q, want %q", b, got, tt.want)
			}
			var back WhoisFacts
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.PrivacyKnown() != (tt.want != "") || back.Privacy != tt.facts.Privacy {
				t.Errorf("read back: known %v privacy %v", back.PrivacyKnown(), back.Privacy)
			}
		})
	}
	// An older file always wrote "privacy": it reads back as known.
	var old WhoisFacts
	if err := json.Unmarshal([]byte(`{"domain":"x.com","registered":true,"privacy":false}`), &old); err != nil || !old.PrivacyKnown() || old.Privacy {
		t.Errorf("older record: %v known %v privacy %v", err, old.PrivacyKnown(), old.Privacy)
	}
}
