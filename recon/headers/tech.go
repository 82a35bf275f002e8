package headers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	wappalyzer "github.com/projectdiscovery/wappalyzergo"
	"golang.org/x/net/html"
)

// The technology stack is read with wappalyzergo's fingerprints (its
// embedded data and its pattern syntax: wappalyzer.ParsePattern), matched
// here through an index instead of by wappalyzer.Wappalyze.Fingerprint.
//
// Fingerprint walks all ~7,600 applications for every part it checks
// (headers, cookies, the page, each <script src>, each <meta>), although
// only a few hundred have patterns for that part and a header pattern can
// only match when the response has that header: ~6 ms of CPU per page
// even for a 70-byte page, the largest single cost of a scan. The index
// keeps, per part, only the applications that have patterns for it, and
// for headers, cookies and meta tags keys them by name; each candidate
// application is then checked exactly as Fingerprint checks it (same
// patterns, same confidence and version rules, same order of parts), so
// the answer is the same set of names and versions
// (TestTechIndexMatchesWappalyzer compares the two). It also compiles only
// the patterns Fingerprint evaluates: wappalyzergo.New compiles the js and
// dom patterns too (half of all patterns), which Fingerprint never uses.

// techApp is one application's patterns for the parts Fingerprint reads.
type techApp struct {
	name      string
	implies   []string
	headers   map[string]*techPattern
	cookies   map[string]*techPattern
	html      []*techPattern
	scriptSrc []*techPattern
	meta      map[string][]*techPattern
}

// techIndex holds the applications by the part (and, for key–value
// parts, the key) their patterns read.
type techIndex struct {
	html, scriptSrc            []*techApp
	byHeader, byCookie, byMeta map[string][]*techApp
	// trouble holds the runes for which the patterns' literals cannot be
	// relied on (techfilter.go).
	trouble string
}

// rawFingerprints is the subset of wappalyzer.Fingerprint that
// Fingerprint evaluates, decoded with the same field types and names.
type rawFingerprints struct {
	Apps map[string]struct {
		Cookies   map[string]string   `json:"cookies"`
		Headers   map[string]string   `json:"headers"`
		HTML      []string            `json:"html"`
		ScriptSrc []string            `json:"scriptSrc"`
		Meta      map[string][]string `json:"meta"`
		Implies   []string            `json:"implies"`
	} `json:"apps"`
}

// newTechIndex decodes wappalyzergo's embedded fingerprints and indexes
// them. A pattern whose regular expression does not parse is left out, as
// wappalyzergo does; the others are compiled when first evaluated
// (techPattern), most never are.
func newTechIndex() (*techIndex, error) {
	var raw rawFingerprints
	if err := json.Unmarshal([]byte(wappalyzer.GetRawFingerprints()), &raw); err != nil {
		return nil, err
	}
	ix := &techIndex{byHeader: map[string][]*techApp{}, byCookie: map[string][]*techApp{}, byMeta: map[string][]*techApp{}}
	var fc filterCompiler
	compileMap := func(m map[string]string) map[string]*techPattern {
		out := make(map[string]*techPattern, len(m))
		for k, p := range m {
			if tp := fc.compile(p); tp != nil {
				out[k] = tp
			}
		}
		return out
	}
	compileList := func(l []string) []*techPattern {
		var out []*techPattern
		for _, p := range l {
			if tp := fc.compile(p); tp != nil {
				out = append(out, tp)
			}
		}
		return out
	}
	names := make([]string, 0, len(raw.Apps))
	for name := range raw.Apps {
		names = append(names, name)
	}
	sort.Strings(names) // a stable index; the answer does not depend on it
	for _, name := range names {
		f := raw.Apps[name]
		a := &techApp{name: name, implies: f.Implies, headers: compileMap(f.Headers), cookies: compileMap(f.Cookies),
			html: compileList(f.HTML), scriptSrc: compileList(f.ScriptSrc)}
		if len(f.Meta) > 0 {
			a.meta = make(map[string][]*techPattern, len(f.Meta))
			for k, l := range f.Meta {
				a.meta[k] = compileList(l)
			}
		}
		for k := range a.headers {
			ix.byHeader[k] = append(ix.byHeader[k], a)
		}
		for k := range a.cookies {
			ix.byCookie[k] = append(ix.byCookie[k], a)
		}
		for k := range a.meta {
			ix.byMeta[k] = append(ix.byMeta[k], a)
		}
		if len(a.html) > 0 {
			ix.html = append(ix.html, a)
		}
		if len(a.scriptSrc) > 0 {
			ix.scriptSrc = append(ix.scriptSrc, a)
		}
	}
	ix.trouble = fc.troubleSet()
	return ix, nil
}

// newText prepares s for checking.
func (ix *techIndex) newText(s string) *text {
	return &text{s: s, lower: strings.ToLower(s), filter: !strings.ContainsAny(s, ix.trouble)}
}

// techHit is one application's result for one part, kept as wappalyzergo
// keeps it: matched by any pattern, the highest confidence, the most
// specific version.
type techHit struct {
	matched    bool
	confidence int
	version    string
}

func (h *techHit) eval(p *techPattern, t *text) {
	ok, v, confidence := p.evaluate(t)
	if !ok {
		return
	}
	h.matched = true
	if confidence > h.confidence {
		h.confidence = confidence
	}
	if v != "" && (h.version == "" || isMoreSpecific(v, h.version)) {
		h.version = v
	}
}

// add records a's hit and the applications a implies (with its
// confidence, without a version), as wappalyzergo does.
func (h techHit) add(u wappalyzer.UniqueFingerprints, a *techApp) {
	if !h.matched {
		return
	}
	u.SetIfNotExists(a.name, h.version, h.confidence)
	for _, imp := range a.implies {
		u.SetIfNotExists(imp, "", h.confidence)
	}
}

// fingerprint is wappalyzer.Wappalyze.Fingerprint over the index: the
// same normalisation, the same parts in the same order (headers, cookies,
// the page, then each <script> and <meta> tag in document order). The
// order of applications within a part does not change the answer: only
// an application's own match carries a version, it has at most one per
// part, and confidences only add up (capped at 100) to decide whether a
// name is kept.
func (ix *techIndex) fingerprint(headers map[string][]string, body []byte) map[string]struct{} {
	u := wappalyzer.NewUniqueFingerprints()
	normalizedBody := bytes.ToLower(body)
	normalizedHeaders := normalizeHeaders(headers)

	ix.matchMap(u, ix.byHeader, normalizedHeaders, func(a *techApp) map[string]*techPattern { return a.headers })
	if cookies := findSetCookie(normalizedHeaders); len(cookies) > 0 {
		ix.matchMap(u, ix.byCookie, normalizeCookies(cookies), func(a *techApp) map[string]*techPattern { return a.cookies })
	}

	page := string(normalizedBody) // lower case already
	pt := &text{s: page, lower: page, filter: !strings.ContainsAny(page, ix.trouble)}
	for _, a := range ix.html {
		var h techHit
		for _, p := range a.html {
			h.eval(p, pt)
		}
		h.add(u, a)
	}
	tokenizer := html.NewTokenizer(bytes.NewReader(normalizedBody))
	for {
		tt := tokenizer.Next()
		switch tt {
		case html.ErrorToken:
			return u.GetValues()
		case html.StartTagToken:
			token := tokenizer.Token()
			switch token.Data {
			case "script":
				if len(token.Attr) >= 1 { // wappalyzergo: any attribute, src or not
					src := ""
					for _, attr := range token.Attr {
						if attr.Key == "src" {
							src = attr.Val
						}
					}
					st := ix.newText(src)
					for _, a := range ix.scriptSrc {
						var h techHit
						for _, p := range a.scriptSrc {
							h.eval(p, st)
						}
						h.add(u, a)
					}
					continue
				}
				tokenizer.Next() // the script's text: wappalyzergo does not read it
			case "meta":
				ix.matchMeta(u, token)
			}
		case html.SelfClosingTagToken:
			if token := tokenizer.Token(); token.Data == "meta" {
				ix.matchMeta(u, token)
			}
		}
	}
}

// matchMeta checks a <meta> tag's name and content, as wappalyzergo does
// (a tag with fewer than two attributes is not read).
func (ix *techIndex) matchMeta(u wappalyzer.UniqueFingerprints, token html.Token) {
	if len(token.Attr) < 2 {
		return
	}
	var name, content string
	for _, attr := range token.Attr {
		switch attr.Key {
		case "name":
			name = attr.Val
		case "content":
			content = attr.Val
		}
	}
	ct := ix.newText(content)
	for _, a := range ix.byMeta[name] {
		var h techHit
		for _, p := range a.meta[name] {
			h.eval(p, ct)
		}
		h.add(u, a)
	}
}

// matchMap checks the applications that have a pattern for one of kv's
// keys, each over all its patterns of that part (as wappalyzergo's
// matchMapString does for every application).
func (ix *techIndex) matchMap(u wappalyzer.UniqueFingerprints, by map[string][]*techApp, kv map[string]string, part func(*techApp) map[string]*techPattern) {
	texts := make(map[string]*text, len(kv))
	for k, v := range kv {
		texts[k] = ix.newText(v)
	}
	var seen map[*techApp]bool
	for k := range kv {
		for _, a := range by[k] {
			if seen[a] {
				continue
			}
			if seen == nil {
				seen = map[*techApp]bool{}
			}
			seen[a] = true
			var h techHit
			for key, p := range part(a) {
				if t, ok := texts[key]; ok {
					h.eval(p, t)
				}
			}
			h.add(u, a)
		}
	}
}

// normalizeHeaders is wappalyzergo's: values joined with ", ", names and
// values lowercased.
func normalizeHeaders(headers map[string][]string) map[string]string {
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		out[strings.ToLower(k)] = strings.ToLower(strings.Join(v, ", "))
	}
	return out
}

// findSetCookie is wappalyzergo's reading of the Set-Cookie header.
func findSetCookie(headers map[string]string) []string {
	value, ok := headers["set-cookie"]
	if !ok {
		return nil
	}
	var values []string
	for _, v := range strings.Split(value, " ") {
		switch {
		case v == "":
		case strings.Contains(v, ","):
			values = append(values, strings.Split(v, ",")...)
		case strings.Contains(v, ";"):
			values = append(values, strings.Split(v, ";")...)
		default:
			values = append(values, v)
		}
	}
	return values
}

// normalizeCookies is wappalyzergo's: name=value pairs, the rest dropped.
func normalizeCookies(cookies []string) map[string]string {
	out := make(map[string]string)
	for _, part := range cookies {
		kv := strings.SplitN(strings.Trim(part, " "), "=", 2)
		if len(kv) < 2 {
			continue
		}
		out[kv[0]] = kv[1]
	}
	return out
}

// isMoreSpecific reports whether version a is more specific than b: more
// segments, or as many and numerically higher. Copied from wappalyzergo
// v0.2.95 (versions.go, MIT licence), which does not export it.
func isMoreSpecific(a, b string) bool {
	ap, bp := versionParts(a), versionParts(b)
	if len(ap) != len(bp) {
		return len(ap) > len(bp)
	}
	for i := range ap { // b < a
		if bp[i] != ap[i] {
			return bp[i] < ap[i]
		}
	}
	return false
}

// versionParts splits v on '.'; a piece that is not a number counts as 0.
func versionParts(v string) []int {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == '.' })
	parts := make([]int, len(fields))
	for i, f := range fields {
		if n, err := strconv.Atoi(f); err == nil {
			parts[i] = n
		}
	}
	return parts
}

// techReference, when set (by tests only), fingerprints instead of the
// index: wappalyzergo's own Fingerprint, to compare whole reports.
var techReference func(headers map[string][]string, body []byte) map[string]struct{}

var (
	techOnce  sync.Once
	techReady = make(chan struct{})
	techIx    *techIndex
)

// Warm starts compiling the technology fingerprints in the background,
// once per process. The compile costs about 0.3 s of CPU (a 3.7 MB JSON
// file and thousands of regular expressions), so it is kept off the
// start-up path: the module calls Warm when a scan starts, so the compile
// overlaps the round trips of the fetch instead of adding to them, and
// callers that know scans are coming (the investigate command, the
// workbench) call it when they build the scanner.
func Warm() {
	techOnce.Do(func() {
		go func() {
			defer close(techReady)
			defer func() { _ = recover() }() // no fingerprints rather than a crash
			techIx, _ = newTechIndex()
		}()
	})
}

// Tech fingerprints the technology stack from headers and body with
// wappalyzergo's fingerprints (compiled once per process, see Warm) and
// returns the names sorted ("Nginx:1.18.0" when a version is known).
func Tech(h http.Header, body []byte) (out []string) {
	Warm()
	<-techReady
	if techIx == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			out = nil // a fingerprinting bug must not fail the module
		}
	}()
	match := techIx.fingerprint
	if techReference != nil {
		match = techReference
	}
	for name := range match(h, body) {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
