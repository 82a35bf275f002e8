package recon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Level is the colour of a signal or of an assessment: red, yellow or green.
type Level string

// The three verdict levels. LevelNone is used only for "no verdict yet".
// LevelInfo marks a signal without colour: a caveat ("the IP pivot shows the
// CDN, not the origin") or a note that weighs nothing; a verdict is never
// LevelInfo.
const (
	LevelNone   Level = ""
	LevelInfo   Level = "info"
	LevelGreen  Level = "green"
	LevelYellow Level = "yellow"
	LevelRed    Level = "red"
)

// Rank orders levels: info, none < green < yellow < red.
func (l Level) Rank() int {
	switch l {
	case LevelGreen:
		return 1
	case LevelYellow:
		return 2
	case LevelRed:
		return 3
	}
	return 0
}

// Levels lists the levels that have a mark, in the order a legend shows
// them.
var Levels = []Level{LevelRed, LevelYellow, LevelGreen, LevelInfo}

// Mark is the one shape of each level, used by the CLI text, the workbench
// and the Markdown report alike. The shapes differ, not only the colours,
// so a verdict reads the same with NO_COLOR, on a monochrome terminal or
// to a colour-blind analyst: ■ red, ▲ yellow, ● green, · a caveat or note
// (no verdict colour), a space for no verdict, "" for a value no program
// writes.
func (l Level) Mark() string {
	switch l {
	case LevelRed:
		return "■"
	case LevelYellow:
		return "▲"
	case LevelGreen:
		return "●"
	case LevelInfo:
		return "·"
	case LevelNone:
		return " "
	}
	return ""
}

// Word names a level for a reader: red, yellow or green; "note" for a
// signal without colour (LevelInfo); "" for no verdict (callers say what
// that means where they are: "not scanned", "not assessed"); "unknown" for
// anything else a file may hold.
func (l Level) Word() string {
	switch l {
	case LevelRed, LevelYellow, LevelGreen:
		return string(l)
	case LevelInfo:
		return "note"
	case LevelNone:
		return ""
	}
	return "unknown"
}

// Badge is a verdict's mark and word ("■ red"), the one form the text
// report, the Markdown report and the change report write; "" for a level
// that is no verdict (LevelNone, LevelInfo, anything a file may hold):
// the caller says what that means where it is ("not scanned", "not
// assessed").
func (l Level) Badge() string {
	switch l {
	case LevelRed, LevelYellow, LevelGreen:
		return l.Mark() + " " + l.Word()
	}
	return ""
}

// Status says how a module's run ended. The values are a contract (scan --json).
type Status string

// Module statuses as defined in DESIGN.md.
const (
	StatusOK          Status = "ok"           // it ran and got an answer (including an authoritative "nothing found")
	StatusRateLimited Status = "rate-limited" // the source refused because of a rate limit; never "no results"
	StatusError       Status = "error"        // it failed; Err says why
	StatusSkipped     Status = "skipped"      // it did not run; Err says why (no key, passive-strict, not applicable)
)

// Touch says how a module touches the world.
type Touch string

// Touch values shown beside each module block and in exports.
const (
	TouchNone       Touch = "none"        // computed from other results
	TouchThirdParty Touch = "third-party" // a public record service (DNS, WHOIS, CT, InternetDB)
	TouchTarget     Touch = "target"      // connects to the target itself (ssl, headers)
)

// Signal is one finding with a colour and a human reason.
type Signal struct {
	Level  Level  `json:"level"`
	Text   string `json:"text"`
	Module string `json:"module,omitempty"` // module id the signal came from
	Rule   string `json:"rule,omitempty"`   // id of the assessment rule that produced it
	// Kind says how the signal counts in the verdict: "flag" (evidence of
	// concern, with Weight in Group), "good" (evidence against), "caveat"
	// (a limit of the evidence, no colour) or "note" (no weight).
	Kind   string  `json:"kind,omitempty"`
	Weight float64 `json:"weight,omitempty"` // a flag's weight (0.5 weak, 1 a flag, 2 strong, 3 decisive)
	Group  string  `json:"group,omitempty"`  // a flag's independence group (age, mail posture, …)
}

// Signal kinds.
const (
	KindFlag   = "flag"
	KindGood   = "good"
	KindCaveat = "caveat"
	KindNote   = "note"
)

// PivotKind is the type of value a pivot points at. Values are stored in
// session files and are a contract.
type PivotKind string

// Pivot kinds.
const (
	PivotDomain    PivotKind = "domain"
	PivotSubdomain PivotKind = "subdomain"
	PivotIP        PivotKind = "ip"
	PivotASN       PivotKind = "asn"
	PivotNetwork   PivotKind = "network"
	PivotNS        PivotKind = "ns"
	PivotMX        PivotKind = "mx"
	PivotRegistrar PivotKind = "registrar"
	PivotCert      PivotKind = "cert"   // SHA-256 of the certificate DER, lower-case hex
	PivotPubkey    PivotKind = "pubkey" // SHA-256 of the SubjectPublicKeyInfo, lower-case hex
	PivotEmail     PivotKind = "email"
	// Operator fingerprints (package recon/fingerprint). Their values are
	// the cluster keys without the prefix: an AnalyticsID.Key
	// ("UA-1234567", "fb:123…"), a Shodan favicon hash ("-297069493"), a
	// normalised page hash (SHA-256 hex), a verification token as
	// "<service>:<token>".
	PivotAnalytics PivotKind = "analytics"
	PivotFavicon   PivotKind = "favicon"
	PivotPage      PivotKind = "page"
	PivotVerify    PivotKind = "verify"
)

// Relation names used on pivots (the edge from the scanned target to the value).
const (
	RelA         = "A"
	RelAAAA      = "AAAA"
	RelCNAME     = "CNAME"
	RelNS        = "NS"
	RelMX        = "MX"
	RelPTR       = "PTR"
	RelSAN       = "SAN"
	RelCT        = "CT"
	RelASN       = "ASN"
	RelNetwork   = "network"
	RelRegistrar = "registrar"
	RelCert      = "cert"
	RelPubkey    = "pubkey"
	RelHostname  = "hostname" // hostnames InternetDB has seen on an IP
	RelDomain    = "domain"   // the domain part of an e-mail address
	RelAnalytics = "analytics"
	RelFavicon   = "favicon"
	RelPage      = "page"
	RelVerify    = "verify"
)

// Pivot is a value extracted by a module that can become a new input.
type Pivot struct {
	Kind     PivotKind `json:"kind"`
	Value    string    `json:"value"`
	Relation string    `json:"relation"`
}

// ModuleResult is what one module produced for one target.
type ModuleResult struct {
	Module  string    `json:"-"`
	Status  Status    `json:"status"`
	Touch   Touch     `json:"touch,omitempty"`
	Facts   any       `json:"facts"` // one of the *Facts types below, by module id
	Signals []Signal  `json:"signals"`
	Pivots  []Pivot   `json:"pivots"`
	Err     string    `json:"error,omitempty"`
	Started time.Time `json:"started"`
	// DurationMS is how long the module ran, in milliseconds.
	DurationMS int64 `json:"duration_ms"`
}

// Report is the outcome of one scan of one target.
type Report struct {
	Target     Target                   `json:"target"`
	Modules    map[string]*ModuleResult `json:"modules"`
	Assessment Assessment               `json:"assessment"`
	// Notices are facts about the analyst's own network that change how
	// the report reads (see Notice); empty on a network that behaves.
	Notices    []Notice  `json:"notices,omitempty"`
	Started    time.Time `json:"started"`
	DurationMS int64     `json:"duration_ms"`
}

// Assessment is the Overall Assessment of one target: a verdict by
// convergence of independent evidence (see Converge).
type Assessment struct {
	Level   Level    `json:"level"`
	Signals []Signal `json:"signals"`
	// Why says how the verdict was reached, in words.
	Why string `json:"why,omitempty"`
	// For lists the evidence of concern (flags), Against the evidence
	// against it (good signals), Caveats the limits of the evidence.
	For     []string `json:"for,omitempty"`
	Against []string `json:"against,omitempty"`
	Caveats []string `json:"caveats,omitempty"`
	// WouldChange says what would change the verdict.
	WouldChange []string `json:"would_change,omitempty"`
}

// Module returns the result of module id, or nil.
func (r *Report) Module(id string) *ModuleResult {
	if r == nil || r.Modules == nil {
		return nil
	}
	return r.Modules[id]
}

// OK reports whether module id ran successfully.
func (r *Report) OK(id string) bool {
	m := r.Module(id)
	return m != nil && m.Status == StatusOK
}

// Pivots returns every pivot of every module, in module order.
func (r *Report) Pivots() []Pivot {
	var out []Pivot
	for _, id := range ModuleIDs {
		if m := r.Module(id); m != nil {
			out = append(out, m.Pivots...)
		}
	}
	return out
}

// UnmarshalJSON decodes a report and gives every module's facts its typed
// form (factsTypes). It reads the bytes once, the fast way (decodeReport,
// in decode.go); a report it does not read is decoded by
// decodeReportStream, the reference, which gives the result or error.
func (r *Report) UnmarshalJSON(b []byte) error {
	if decodeReport(b, r) {
		return nil
	}
	return r.decodeStream(b)
}

// decodeStream is the reference decoding of a report, with encoding/json:
// it walks the modules object with a streaming decoder and decodes each
// module straight into a result whose Facts already holds the typed
// pointer for its id (nested Unmarshal calls over raw sub-messages would
// re-validate them at every level). The fast path is held to it.
func (r *Report) decodeStream(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	*r = Report{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch key {
		case "target":
			err = dec.Decode(&r.Target)
		case "assessment":
			err = dec.Decode(&r.Assessment)
		case "notices":
			err = dec.Decode(&r.Notices)
		case "started":
			err = dec.Decode(&r.Started)
		case "duration_ms":
			err = dec.Decode(&r.DurationMS)
		case "modules":
			err = r.decodeModules(dec)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return fmt.Errorf("report %s: %w", key, err)
		}
	}
	_, err := dec.Token() // the closing brace
	return err
}

func (r *Report) decodeModules(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil { // "modules": null
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("modules is not an object")
	}
	r.Modules = map[string]*ModuleResult{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		id, _ := tok.(string)
		m := &ModuleResult{}
		if mk, ok := factsTypes[id]; ok {
			m.Facts = mk() // encoding/json decodes into the pointer an interface holds
		}
		if err := dec.Decode(m); err != nil {
			return fmt.Errorf("module %q: %w", id, err)
		}
		m.Module = id
		downgradeWhois(m)
		r.Modules[id] = m
	}
	_, err = dec.Token()
	return err
}

// downgradeWhois reads a failed WHOIS module's "free" as unknown: an
// older file wrote "registered": false for a WHOIS that could not be
// asked, and that was never an answer.
func downgradeWhois(m *ModuleResult) {
	if w, ok := m.Facts.(*WhoisFacts); ok && m.Status != StatusOK && w.Registration == RegFree {
		w.Registration = RegUnknown
	}
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, got %v", want, tok)
	}
	return nil
}

// FactsOf returns module id's facts as type T, or nil when the module did not
// run or its facts have another type.
func FactsOf[T any](r *Report, id string) *T {
	m := r.Module(id)
	if m == nil {
		return nil
	}
	f, _ := m.Facts.(*T)
	return f
}
