package recon

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// ErrInvalid is wrapped by Validate's errors: a report (read from a session
// file or another untrusted source) holds a value outside its enum.
var ErrInvalid = errors.New("recon: invalid value")

// Valid reports whether l is one of red, yellow, green; LevelNone is not a
// signal's level (an assessment may be LevelNone: see Report.Validate).
// A signal may also be LevelInfo (SignalLevelValid).
func (l Level) Valid() bool { return l == LevelRed || l == LevelYellow || l == LevelGreen }

// SignalLevelValid reports whether l may be a signal's level: a verdict
// level or LevelInfo (a caveat or note, without colour).
func (l Level) SignalLevelValid() bool { return l.Valid() || l == LevelInfo }

// Valid reports whether s is one of the four module statuses.
func (s Status) Valid() bool {
	return s == StatusOK || s == StatusRateLimited || s == StatusError || s == StatusSkipped
}

// Valid reports whether t is one of the touch values (or empty: unknown).
func (t Touch) Valid() bool {
	return t == "" || t == TouchNone || t == TouchThirdParty || t == TouchTarget
}

// PivotKinds lists every pivot kind (a contract: they are stored in
// session files).
// TestEnumListsComplete fails when a PivotKind constant is missing here.
var PivotKinds = []PivotKind{PivotDomain, PivotSubdomain, PivotIP, PivotASN, PivotNetwork,
	PivotNS, PivotMX, PivotRegistrar, PivotCert, PivotPubkey, PivotEmail,
	PivotAnalytics, PivotFavicon, PivotPage, PivotVerify}

// Valid reports whether k is one of PivotKinds.
func (k PivotKind) Valid() bool { return slices.Contains(PivotKinds, k) }

// Valid reports whether k is domain, ip or email.
func (k Kind) Valid() bool { return k == KindDomain || k == KindIP || k == KindEmail }

// KnownModule reports whether id is a module id (ModuleIDs) or the module
// of an assessment rule.
func KnownModule(id string) bool {
	if slices.Contains(ModuleIDs, id) {
		return true
	}
	for _, r := range Rules {
		if r.Module == id {
			return true
		}
	}
	return false
}

// Validate checks every enum-like field of a report read from an untrusted
// source (a session file someone else wrote): the target kind, module ids,
// statuses and touches, signal levels and modules, pivot kinds and the
// assessment level. Free text (values, signal texts, errors, rule ids,
// relations) is not checked here: it is sanitised where it is displayed.
// The error wraps ErrInvalid and quotes the offending value escaped.
func (r *Report) Validate() error {
	if r.Target.Kind != "" && !r.Target.Kind.Valid() {
		return invalid("target kind", string(r.Target.Kind), "domain, ip, email")
	}
	if r.Assessment.Level != LevelNone && !r.Assessment.Level.Valid() {
		return invalid("assessment level", string(r.Assessment.Level), "red, yellow, green")
	}
	for i, s := range r.Assessment.Signals {
		if err := validSignal(s); err != nil {
			return fmt.Errorf("assessment signal %d: %w", i+1, err)
		}
	}
	for i, n := range r.Notices {
		if !slices.Contains(NoticeKinds, n.Kind) {
			return fmt.Errorf("notice %d: %w", i+1, invalid("kind", n.Kind, strings.Join(NoticeKinds, ", ")))
		}
	}
	for id, m := range r.Modules {
		if !slices.Contains(ModuleIDs, id) {
			return invalid("module id", id, strings.Join(ModuleIDs, ", "))
		}
		if m == nil {
			continue
		}
		if !m.Status.Valid() {
			return fmt.Errorf("module %s: %w", id, invalid("status", string(m.Status), "ok, rate-limited, error, skipped"))
		}
		if !m.Touch.Valid() {
			return fmt.Errorf("module %s: %w", id, invalid("touch", string(m.Touch), "none, third-party, target"))
		}
		for i, s := range m.Signals {
			if err := validSignal(s); err != nil {
				return fmt.Errorf("module %s signal %d: %w", id, i+1, err)
			}
		}
		for i, p := range m.Pivots {
			if !p.Kind.Valid() {
				return fmt.Errorf("module %s pivot %d: %w", id, i+1, invalid("kind", string(p.Kind), pivotKindList()))
			}
		}
	}
	return nil
}

func validSignal(s Signal) error {
	if !s.Level.SignalLevelValid() {
		return invalid("level", string(s.Level), "red, yellow, green, info")
	}
	switch s.Kind {
	case "", KindFlag, KindGood, KindCaveat, KindNote:
	default:
		return invalid("signal kind", s.Kind, "flag, good, caveat, note")
	}
	if s.Module != "" && !KnownModule(s.Module) {
		return invalid("module", s.Module, strings.Join(ModuleIDs, ", "))
	}
	return nil
}

func pivotKindList() string {
	out := make([]string, len(PivotKinds))
	for i, k := range PivotKinds {
		out[i] = string(k)
	}
	return strings.Join(out, ", ")
}

func invalid(what, value, known string) error {
	return fmt.Errorf("%w: %s %s is not one of %s", ErrInvalid, what, Quote(value), known)
}

// Quote returns v for an error message or a log line: sanitised (every
// control, bidi and invisible character escaped), cut to 60 characters,
// in double quotes. Use it wherever an error names a value that came from
// the network or a file.
func Quote(v string) string {
	const max = 60
	if utf8.RuneCountInString(v) > max {
		r := []rune(v)
		v = string(r[:max]) + "…"
	}
	return `"` + sanitize.Line(v) + `"`
}
