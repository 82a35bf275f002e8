// parse.go holds the parsing of WHOIS answers: one answer (ParseAnswer:
// found, not found, rate-limited, referral), the merge of a referral walk's
// answers (Combine) and whole transcripts (SplitRaw, ParseWhois).

package whoismod

import (
	"errors"
	"regexp"
	"strings"

	whoisparser "github.com/likexian/whois-parser"

	"github.com/netspecter/netspecter-tui/recon"
)

// AnswerKind says what one WHOIS answer means.
type AnswerKind int

// The kinds of WHOIS answer.
const (
	// AnswerUnparsed is an answer with nothing usable in it (garbage, an
	// error banner, an empty reply).
	AnswerUnparsed AnswerKind = iota
	// AnswerFound is a registration record.
	AnswerFound
	// AnswerNotFound is the registry's authoritative "no such domain".
	AnswerNotFound
	// AnswerRateLimited is a refusal because of a query limit.
	AnswerRateLimited
	// AnswerReferral is IANA's answer for the TLD: it only names the registry.
	AnswerReferral
)

// String names the kind.
func (k AnswerKind) String() string {
	switch k {
	case AnswerFound:
		return "found"
	case AnswerNotFound:
		return "not found"
	case AnswerRateLimited:
		return "rate limited"
	case AnswerReferral:
		return "referral"
	}
	return "unparsed"
}

// Answer is one server's WHOIS answer, parsed.
type Answer struct {
	Kind AnswerKind
	// Facts holds what a found answer says (Source, Servers and Raw unset).
	Facts recon.WhoisFacts
	// Refer is the next server the answer names ("host:port"), or "".
	Refer string
	// Detail is the line that says the query was rate-limited.
	Detail string
}

// ParseAnswer parses one WHOIS answer. first is true for the answer of the
// first server asked (IANA): its "refer:" (or "whois:") line names the
// registry and the answer describes the TLD, not the domain.
func ParseAnswer(text string, first bool) Answer { return ParseAnswerFor(text, first, "") }

// ParseAnswerFor is ParseAnswer for an answer to a query about domain
// ("" when unknown): where the answer holds several matching records (old
// thin registry answers list every name that starts with the query), the
// record of domain itself is read.
func ParseAnswerFor(text string, first bool, domain string) (a Answer) {
	defer func() {
		// whois-parser is third-party code fed with hostile text: a panic
		// in it must not take the module down.
		if p := recover(); p != nil {
			a = Answer{Kind: AnswerUnparsed}
		}
	}()
	if first {
		if ref := findReferral(text, "refer"); ref != "" {
			return Answer{Kind: AnswerReferral, Refer: ref}
		}
		if isIANA(text) {
			if ref := findReferral(text, "whois"); ref != "" {
				return Answer{Kind: AnswerReferral, Refer: ref}
			}
		}
	}
	a.Refer = findReferral(text, "registrar whois server", "whois server", "referralserver")

	text = recordOf(text, domain)
	info, err := whoisparser.Parse(guardParserInput(text))
	if err == nil && info.Domain != nil {
		a.Facts = factsFrom(info, text)
		if a.Facts.Registrar != "" || a.Facts.Created != nil || a.Facts.Expires != nil || len(a.Facts.NameServers) > 0 {
			a.Kind = AnswerFound
			a.Facts.Registered = true
			return a
		}
	}
	if line := rateLimitLine(text); line != "" || errors.Is(err, whoisparser.ErrDomainLimitExceed) {
		if line == "" {
			line = firstLine(text)
		}
		return Answer{Kind: AnswerRateLimited, Detail: line}
	}
	if errors.Is(err, whoisparser.ErrNotFoundDomain) {
		return Answer{Kind: AnswerNotFound}
	}
	return Answer{Kind: AnswerUnparsed, Refer: a.Refer}
}

// Bounds of the text handed to whois-parser. It joins every run of lines
// without a colon that follows a "key:" line by repeated string
// concatenation, which is quadratic: a hostile 1 MiB answer of such lines
// costs a minute of CPU. Registration records are a few KiB.
const (
	maxParserInput = 256 << 10
	maxColonless   = 32
)

// guardParserInput keeps at most maxColonless lines of every run of lines
// without a colon, and at most maxParserInput bytes.
func guardParserInput(text string) string {
	if len(text) > maxParserInput {
		text = text[:maxParserInput]
	}
	var b strings.Builder
	b.Grow(len(text))
	run := 0
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i+1], text[i+1:]
		} else {
			text = ""
		}
		if strings.IndexByte(line, ':') >= 0 {
			run = 0
		} else if run++; run > maxColonless {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// Combine merges the answers of one referral walk, in the order they were
// asked. Registration data: the registrar's (thick, later) answer wins field
// by field, the registry's fills the gaps. The result's kind is found when
// any answer holds a record, else rate-limited, else not found, else
// unparsed. Detail is the rate-limit line, if any.
func Combine(answers []Answer) (recon.WhoisFacts, AnswerKind, string) {
	var f recon.WhoisFacts
	kind := AnswerUnparsed
	detail := ""
	var found []recon.WhoisFacts
	limited, notFound := false, false
	for _, a := range answers {
		switch a.Kind {
		case AnswerFound:
			found = append(found, a.Facts)
		case AnswerRateLimited:
			if !limited {
				detail = a.Detail
			}
			limited = true
		case AnswerNotFound:
			// A registrar answering "not found" after the registry found
			// the name does not unregister it: only count a not-found
			// before any record.
			if len(found) == 0 {
				notFound = true
			}
		}
	}
	switch {
	case len(found) > 0:
		kind = AnswerFound
		for i := len(found) - 1; i >= 0; i-- {
			fillFrom(&f, found[i])
		}
		f.Registered = true
	case limited:
		kind = AnswerRateLimited
	case notFound:
		kind = AnswerNotFound
	}
	return f, kind, detail
}

// fillFrom copies into f every field of g that f lacks.
func fillFrom(f *recon.WhoisFacts, g recon.WhoisFacts) {
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&f.Domain, g.Domain)
	set(&f.Registrar, g.Registrar)
	set(&f.RegistrarIANAID, g.RegistrarIANAID)
	if f.Registrar == g.Registrar {
		set(&f.RegistrarHandle, g.RegistrarHandle)
	}
	set(&f.RegistrarURL, g.RegistrarURL)
	set(&f.RegistrantOrg, g.RegistrantOrg)
	set(&f.RegistrantCountry, g.RegistrantCountry)
	if f.Created == nil {
		f.Created = g.Created
	}
	if f.Updated == nil {
		f.Updated = g.Updated
	}
	if f.Expires == nil {
		f.Expires = g.Expires
	}
	if len(f.Status) == 0 {
		f.Status = g.Status
	}
	if len(f.NameServers) == 0 {
		f.NameServers = g.NameServers
	}
	if !f.Privacy && g.Privacy {
		f.Privacy, f.PrivacyEvidence = true, g.PrivacyEvidence
	}
	f.RegistrantRead = f.RegistrantRead || g.RegistrantRead
}

// Section is one server's answer in a Raw transcript.
type Section struct {
	Server string
	Text   string
}

var sectionRe = regexp.MustCompile(`^# ([A-Za-z0-9.-]+\.[A-Za-z0-9-]+(:[0-9]+)?|[0-9.]+:[0-9]+)\s*$`)

// SplitRaw splits a transcript of several answers, each introduced by a
// "# <server>" line (the form of WhoisFacts.Raw and of GNU whois output),
// into sections. Text before the first header is a section with no server.
func SplitRaw(raw string) []Section {
	var out []Section
	cur := Section{}
	var b strings.Builder
	flush := func() {
		cur.Text = b.String()
		if cur.Server != "" || strings.TrimSpace(cur.Text) != "" {
			out = append(out, cur)
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(raw, "\n") {
		if m := sectionRe.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
			flush()
			cur = Section{Server: m[1]}
			continue
		}
		b.WriteString(line)
	}
	flush()
	return out
}

// ParseWhois parses a whole WHOIS transcript (one answer, or several in the
// "# <server>" form of SplitRaw, the first being IANA's when it refers) and
// returns the combined facts and what the transcript means.
func ParseWhois(raw string) (recon.WhoisFacts, AnswerKind, string) {
	secs := SplitRaw(raw)
	answers := make([]Answer, 0, len(secs))
	for i, s := range secs {
		answers = append(answers, ParseAnswer(s.Text, i == 0 && len(secs) > 1))
	}
	f, kind, detail := Combine(answers)
	if kind == AnswerFound {
		f.Source = "whois"
	}
	return f, kind, detail
}
