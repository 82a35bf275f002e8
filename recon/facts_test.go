package recon

import (
	"encoding/json"
	"reflect"
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

// An e-mail question that went unanswered is left out of the JSON, never
// written as false or 0 ("spoofable": false would read as protected).
func TestEmailUnreadJSON(t *testing.T) {
	all := map[string]string{"MX": "REFUSED", "TXT": "REFUSED", "_dmarc TXT": "REFUSED", "_mta-sts TXT": "REFUSED", "_smtp._tls TXT": "REFUSED"}
	for _, tt := range []struct {
		name    string
		facts   EmailFacts
		present string // keys written, in this order: has_mx spf_count mta_sts tls_rpt spoofable
		values  string // their values, space-separated
	}{
		{"everything answered, nothing there", EmailFacts{Domain: "x.com", Spoofable: true, SpoofReason: "anyone can send", Posture: "none"},
			"has_mx spf_count mta_sts tls_rpt spoofable", "false 0 false false true"},
		{"resolver refused everything", EmailFacts{Domain: "x.com", Errors: all, SpoofReason: "unknown: the SPF record could not be read"}, "", ""},
		{"SPF read, DMARC timed out", EmailFacts{Domain: "x.com", SPF: &SPFRecord{Raw: "v=spf1 -all", All: "-all"}, SPFCount: 1,
			Errors: map[string]string{"_dmarc TXT": "timeout"}, SpoofReason: "unknown: the DMARC record could not be read"},
			"has_mx spf_count mta_sts tls_rpt", "false 1 false false"},
		{"MTA-STS and TLS-RPT unread, verdict read", EmailFacts{Domain: "x.com", HasMX: true, MX: []string{"mx.x.com"},
			Errors: map[string]string{"_mta-sts TXT": "timeout", "_smtp._tls TXT": "SERVFAIL"}, Spoofable: false, SpoofReason: "forged mail is refused", Posture: "reject"},
			"has_mx spf_count spoofable", "true 0 false"},
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
			var keys, vals []string
			for _, k := range []string{"has_mx", "spf_count", "mta_sts", "tls_rpt", "spoofable"} {
				if v, ok := raw[k]; ok {
					keys, vals = append(keys, k), append(vals, string(v))
				}
			}
			if strings.Join(keys, " ") != tt.present || strings.Join(vals, " ") != tt.values {
				t.Errorf("JSON %s:\n written %v = %v\n want    %s = %s", b, keys, vals, tt.present, tt.values)
			}
			var back EmailFacts
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.SpoofUnknown() != tt.facts.SpoofUnknown() || back.Spoofable != tt.facts.Spoofable || back.HasMX != tt.facts.HasMX {
				t.Errorf("read back %+v", back)
			}
		})
	}
}

// TestEmailJSONKeepsEveryField: every field of EmailFacts survives
// MarshalJSON (emailJSON lists them again, so a new field must be added
// there too).
func TestEmailJSONKeepsEveryField(t *testing.T) {
	f := EmailFacts{Domain: "x.com", HasMX: true, NullMX: true, MX: []string{"mx.x.com"}, SPF: &SPFRecord{Raw: "v=spf1 -all"}, SPFCount: 1,
		DMARC: &DMARCRecord{Raw: "v=DMARC1; p=reject", Policy: "reject"}, MTASTS: true, MTASTSID: "id1", MTASTSProblem: "2 MTA-STS records", TLSRPT: true, Spoofable: true,
		SpoofReason: "r", Posture: "p", Errors: map[string]string{"MX": "x"}}
	v := reflect.ValueOf(f)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Fatalf("set field %s in this test", v.Type().Field(i).Name)
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back EmailFacts
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip lost a field:\n got %+v\nwant %+v", back, f)
	}
}
