package whoismod

import (
	"errors"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

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

// isIANA reports whether text is an answer of IANA's WHOIS server.
func isIANA(text string) bool {
	return strings.Contains(text, "% IANA WHOIS server") || ianaSourceRe.MatchString(text)
}

var ianaSourceRe = regexp.MustCompile(`(?mi)^source:\s*IANA\s*$`)

// findReferral returns the server named by the first line whose key is one
// of keys (in order of preference), normalised to "host:port".
func findReferral(text string, keys ...string) string {
	vals := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, seen := vals[k]; seen {
			continue
		}
		vals[k] = strings.TrimSpace(v)
	}
	for _, k := range keys {
		if s := normServer(vals[k]); s != "" {
			return s
		}
	}
	return ""
}

var hostRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// normServer turns a referral value ("whois.x.com", "whois://whois.x.com:43/",
// "https://whois.x.com") into "host:port", or "" when it names no server.
func normServer(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	} else {
		return ""
	}
	for _, p := range []string{"whois://", "rwhois://", "http://", "https://"} {
		v = strings.TrimPrefix(v, p)
	}
	if i := strings.IndexByte(v, '/'); i >= 0 {
		v = v[:i]
	}
	host, port := v, "43"
	if h, p, err := net.SplitHostPort(v); err == nil {
		if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
			return ""
		}
		host, port = h, p
	}
	host = strings.TrimSuffix(host, ".")
	if net.ParseIP(host) == nil && !hostRe.MatchString(host) {
		return ""
	}
	return net.JoinHostPort(host, port)
}

// rateLimitPhrases are lower-case phrases of registries' throttling answers.
// They are checked only when an answer holds no registration data, so a
// terms-of-use paragraph that mentions limits cannot turn a record into a
// refusal.
var rateLimitPhrases = []string{
	"too many requests",                     // AFNIC
	"access control limit",                  // DENIC "access control limit reached"
	"exceeded your quota",                   // MarkMonitor
	"quota of queries",                      //
	"request per second allowed",            // SIDN "only 1 request per second allowed"
	"requests per second allowed",           //
	"limit exceeded",                        // PIR "WHOIS LIMIT EXCEEDED"
	"quota exceeded",                        //
	"server too busy",                       //
	"too many queries",                      //
	"exceeded the maximum allowable",        //
	"exceeded your query limit",             //
	"restricted due to excessive queries",   //
	"due to query limit controls",           //
	"you have exceeded your allotted",       //
	"maximum daily connection limit",        //
	"maximum query rate reached",            //
	"number of allowed queries exceeded",    // GoDaddy
	"queries exceeded",                      //
	"rate limit exceeded",                   //
	"temporarily blocked",                   //
	"please wait a moment and try again",    //
	"try again after",                       //
	"your connection limit exceeded",        //
	"connection refused; access control",    //
	"lookup quota exceeded",                 //
	"you have reached the query limit",      //
	"has exceeded the established limit",    // .br
	"reached the maximum number of queries", //
}

// rateLimitLine returns the line of text that says the query was throttled, or "".
func rateLimitLine(text string) string {
	low := strings.ToLower(text)
	for _, p := range rateLimitPhrases {
		if i := strings.Index(low, p); i >= 0 {
			return lineAt(text, i)
		}
	}
	return ""
}

// lineAt returns the trimmed line of text containing byte offset i.
func lineAt(text string, i int) string {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += i
	}
	return clip(strings.Trim(strings.TrimSpace(text[start:end]), "%# "), 200)
}

func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return clip(l, 200)
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// factsFrom converts whois-parser's result into WhoisFacts.
func factsFrom(info whoisparser.WhoisInfo, text string) recon.WhoisFacts {
	var f recon.WhoisFacts
	d := info.Domain
	f.Domain = d.Domain
	if r := info.Registrar; r != nil {
		f.Registrar = strings.TrimSpace(r.Name)
		if f.Registrar == "" {
			f.Registrar = strings.TrimSpace(r.Organization)
		}
		if id := strings.TrimSpace(r.ID); isDigits(id) {
			f.RegistrarIANAID = id
		}
		f.RegistrarURL = strings.TrimSpace(r.ReferralURL)
	}
	if f.Registrar == "" {
		// .at and other RIPE-style registries: "registrar: NAME ( URL )",
		// which whois-parser leaves unread.
		f.Registrar, f.RegistrarURL = registrarLine(text, f.RegistrarURL)
	}
	if r := info.Registrar; r != nil && isHandle(f.Registrar) {
		// .it ("MARKMONITOR-REG"), .sk ("MARK-0292"), .ua ("ua.markmonitor")
		// give the registrar's handle beside its name: report the name,
		// keep the handle as its own fact.
		if org := strings.TrimSpace(r.Organization); org != "" && !isHandle(org) {
			f.RegistrarHandle, f.Registrar = f.Registrar, org
		}
	}
	f.Created = pickDate(d.CreatedDateInTime, d.CreatedDate)
	f.Updated = pickDate(d.UpdatedDateInTime, d.UpdatedDate)
	f.Expires = pickDate(d.ExpirationDateInTime, d.ExpirationDate)
	for _, s := range d.Status {
		if s = strings.TrimSpace(s); s != "" {
			f.Status = append(f.Status, s)
		}
	}
	f.NameServers = normNS(d.NameServers)
	if r := info.Registrant; r != nil {
		if org := strings.TrimSpace(r.Organization); org != "" && !isRedacted(org) {
			f.RegistrantOrg = org
		}
		if c := strings.TrimSpace(r.Country); c != "" && !isRedacted(c) {
			f.RegistrantCountry = c
		}
	}
	f.Privacy, f.PrivacyEvidence = privacyIn(text)
	return f
}

var (
	upperHandle = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._]*(-[A-Z0-9._]+)+$`) // MARKMONITOR-REG, MARK-0292, RUCENTER-REG-RIPN
	dotHandle   = regexp.MustCompile(`^[a-z0-9-]+\.[a-z0-9-]+$`)             // ua.markmonitor
)

// isHandle reports whether a registrar value is a registry handle, not a name.
func isHandle(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.ContainsAny(s, " ,") && (upperHandle.MatchString(s) || dotHandle.MatchString(s))
}

var registrarLineRe = regexp.MustCompile(`(?im)^registrar:[ \t]*([^\r\n(]*?)[ \t]*(?:\([ \t]*(\S+)[ \t]*\))?[ \t]*\r?$`)

// registrarLine reads "registrar: NAME ( URL )" (nic.at) and returns the
// name and, when given, the URL (else url unchanged).
func registrarLine(text, url string) (string, string) {
	m := registrarLineRe.FindStringSubmatch(text)
	if m == nil {
		return "", url
	}
	if m[2] != "" && url == "" {
		url = m[2]
	}
	return strings.TrimSpace(m[1]), url
}

// recordOf returns text with only domain's record when the answer holds
// several matching records: old thin registry answers listed every name
// that starts with the query ("Server Name: GOOGLE.COM.ZZZ…" spam entries,
// each with its own "Registrar:") before the real "Domain Name: GOOGLE.COM".
// Paragraphs that are no record (notices, terms) are kept. With domain ""
// the "Server Name" entries are dropped when a "Domain Name" record exists.
func recordOf(text, domain string) string {
	paras := strings.SplitAfter(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n")
	type rec struct {
		i    int
		name string
		kind string
	}
	var recs []rec
	for i, p := range paras {
		for _, line := range strings.Split(p, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok {
				continue
			}
			switch lk := strings.ToLower(strings.TrimSpace(k)); lk {
			case "domain name", "server name":
				recs = append(recs, rec{i, strings.ToLower(strings.TrimSuffix(strings.TrimSpace(v), ".")), lk})
			}
			break
		}
	}
	if len(recs) < 2 {
		return text
	}
	keep := -1
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	for _, r := range recs {
		if domain != "" && r.name == domain {
			keep = r.i
			break
		}
	}
	if keep < 0 {
		for _, r := range recs {
			if r.kind == "domain name" {
				keep = r.i
				break
			}
		}
	}
	if keep < 0 {
		return text
	}
	drop := map[int]bool{}
	for _, r := range recs {
		if r.i != keep {
			drop[r.i] = true
		}
	}
	var b strings.Builder
	for i, p := range paras {
		if !drop[i] {
			b.WriteString(p)
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pickDate prefers whois-parser's parsed time and falls back to ParseDate.
func pickDate(parsed *time.Time, raw string) *time.Time {
	if parsed != nil && !parsed.IsZero() && parsed.Year() >= 1980 {
		t := parsed.UTC()
		return &t
	}
	if t, ok := ParseDate(raw); ok {
		return &t
	}
	return nil
}

// normNS lower-cases name servers, drops trailing dots, addresses after the
// name and duplicates, and sorts them.
func normNS(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, ns := range in {
		f := strings.Fields(ns)
		if len(f) == 0 {
			continue
		}
		n := strings.TrimSuffix(strings.ToLower(f[0]), ".")
		if n == "" || seen[n] || !strings.Contains(n, ".") || net.ParseIP(n) != nil {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// privacyPhrases are lower-case marks of a privacy or proxy service or of
// GDPR redaction in a contact field.
var privacyPhrases = []string{
	"redacted for privacy",
	"withheld for privacy",
	"privacy service",
	"domains by proxy",
	"contact privacy",
	"whoisguard",
	"data protected",
	"privacyprotect",
	"privacy protect",
	"whois privacy",
	"perfect privacy",
	"privacy guardian",
	"identity protection",
	"redacted for gdpr",
	"gdpr masked",
	"statutory masking enabled",
	"not disclosed",
	"data redacted",
}

// privacyIn looks for privacy evidence in the values of "key: value" lines
// (never in comment lines or free-text terms of use) and returns the first
// such line.
func privacyIn(text string) (bool, string) {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.ContainsRune("%#>;*[", rune(t[0])) {
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		if !ok || len(k) > 48 || strings.Contains(strings.ToLower(k), "url") {
			continue
		}
		lv := strings.ToLower(v)
		for _, p := range privacyPhrases {
			if strings.Contains(lv, p) {
				return true, clip(t, 200)
			}
		}
	}
	return false, ""
}

// isRedacted reports whether a contact value is a redaction placeholder.
func isRedacted(v string) bool {
	lv := strings.ToLower(v)
	for _, p := range []string{"redacted", "withheld", "not disclosed", "data protected", "gdpr masked", "non-public data"} {
		if strings.Contains(lv, p) {
			return true
		}
	}
	return false
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
