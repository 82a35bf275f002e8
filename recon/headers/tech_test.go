package headers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unsafe"

	wappalyzer "github.com/projectdiscovery/wappalyzergo"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

// techPage is one response to fingerprint.
type techPage struct {
	name    string
	headers http.Header
	body    []byte
}

var (
	refOnce sync.Once
	ref     *wappalyzer.Wappalyze
	refErr  error
)

// reference is wappalyzergo's own matcher, the answer the index must give.
func reference(t testing.TB) *wappalyzer.Wappalyze {
	t.Helper()
	refOnce.Do(func() { ref, refErr = wappalyzer.New() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	return ref
}

func index(t testing.TB) *techIndex {
	t.Helper()
	Warm()
	<-techReady
	if techIx == nil {
		t.Fatal("no technology index")
	}
	return techIx
}

// labPages are the HTTP answers of every lab world, once each: answers
// that differ only in the domain's name (bench300's 300 sites) are kept
// once.
func labPages(t *testing.T) []techPage {
	t.Helper()
	seen := map[string]bool{}
	files, _ := filepath.Glob("../../testdata/lab/*.json")
	if len(files) == 0 {
		t.Fatal("no lab worlds")
	}
	var pages []techPage
	add := func(name, domain string, r *lab.HTTPResponse) {
		if r == nil {
			return
		}
		key, _ := json.Marshal(r)
		k := strings.ReplaceAll(string(key), domain, "D")
		if seen[k] {
			return
		}
		seen[k] = true
		h := http.Header{}
		for k, v := range r.Headers {
			h.Set(k, v)
		}
		pages = append(pages, techPage{name: name, headers: h, body: []byte(r.Body)})
	}
	for _, f := range files {
		w, err := lab.LoadWorldFile(f)
		if err != nil {
			continue // not a world (fingerprints.json is one; others may not be)
		}
		for d, dom := range w.Domains {
			add(filepath.Base(f)+" https "+d, d, dom.HTTPS)
			add(filepath.Base(f)+" http "+d, d, dom.HTTP)
			for k, p := range dom.Pages {
				add(filepath.Base(f)+" page "+k, d, p)
			}
		}
	}
	return pages
}

// sample returns a string the pattern's regular expression matches (for
// most patterns: anchors and word boundaries are not arranged for), with
// optional parts and one repetition present, so versions get captured.
func sample(pattern string) string { return sampleBranch(pattern, 0) }

// sampleBranch is sample taking branch k (modulo their number) of every
// alternation.
func sampleBranch(pattern string, k int) string {
	re := strings.Split(pattern, `\;`)[0]
	if re == "" {
		return "x"
	}
	p, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return re
	}
	var b strings.Builder
	var gen func(*syntax.Regexp)
	gen = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpLiteral:
			b.WriteString(string(r.Rune))
		case syntax.OpCharClass:
			c := r.Rune[0]
			for i := 0; i+1 < len(r.Rune); i += 2 {
				if r.Rune[i] <= '1' && '1' <= r.Rune[i+1] {
					c = '1'
				}
			}
			b.WriteRune(c)
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteByte('a')
		case syntax.OpCapture, syntax.OpPlus, syntax.OpQuest, syntax.OpStar:
			gen(r.Sub[0])
		case syntax.OpRepeat:
			for i := 0; i < max(r.Min, 1); i++ {
				gen(r.Sub[0])
			}
		case syntax.OpConcat:
			for _, s := range r.Sub {
				gen(s)
			}
		case syntax.OpAlternate:
			gen(r.Sub[k%len(r.Sub)])
		}
	}
	gen(p)
	return b.String()
}

// syntheticPages build responses out of the fingerprints themselves: each
// page carries, for a batch of applications, a value for each of their
// header, cookie and meta patterns, their script sources and their HTML
// snippets, so thousands of applications (and their versions and implied
// applications) are detected. The page's parts are written for one
// application in bodyEvery, script sources for one in scriptEvery: every
// pattern of the page is evaluated over the whole page, and each <script
// src> against all ~4,000 script patterns, by both matchers. The batches overlap in keys, so an
// application also meets values written for another.
func syntheticPages(t *testing.T, batch, bodyEvery, scriptEvery int) []techPage {
	t.Helper()
	var raw rawFingerprints
	if err := json.Unmarshal([]byte(wappalyzer.GetRawFingerprints()), &raw); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(raw.Apps))
	for n := range raw.Apps {
		names = append(names, n)
	}
	sort.Strings(names)
	var pages []techPage
	for i := 0; i < len(names); i += batch {
		h := http.Header{}
		var body bytes.Buffer
		body.WriteString("<html><head>")
		for j, n := range names[i:min(i+batch, len(names))] {
			f := raw.Apps[n]
			for k, p := range f.Headers {
				h.Add(k, sample(p))
			}
			for k, p := range f.Cookies {
				h.Add("Set-Cookie", k+"="+sample(p)+"; Path=/")
			}
			if (i+j)%bodyEvery != 0 {
				continue
			}
			for k, l := range f.Meta {
				for _, p := range l {
					fmt.Fprintf(&body, "<meta name=%q content=%q>\n", k, sample(p))
				}
			}
			for _, p := range f.ScriptSrc {
				if (i+j)%scriptEvery != 0 {
					break
				}
				fmt.Fprintf(&body, "<script src=%q></script>\n", sample(p))
			}
			for _, p := range f.HTML {
				body.WriteString(sample(p) + "\n")
			}
		}
		body.WriteString("<script>var x = 1;</script><script async></script><meta charset=utf-8><meta name=a content=b/>")
		body.WriteString("</head><body>page</body></html>")
		pages = append(pages, techPage{name: fmt.Sprintf("synthetic %d", i/batch), headers: h, body: body.Bytes()})
	}
	return pages
}

// TestTechIndexMatchesWappalyzer: the index answers what wappalyzergo's
// own Fingerprint answers, for every lab page, hand-made pages and pages
// built from the fingerprints (thousands of detections, with versions and
// implied applications).
func TestTechIndexMatchesWappalyzer(t *testing.T) {
	ref, ix := reference(t), index(t)
	pages := append(labPages(t), syntheticPages(t, 40, 2, 100)...)
	pages = append(pages,
		techPage{"empty", nil, nil},
		techPage{"headers only", http.Header{"Server": {"nginx/1.18.0"}, "X-Powered-By": {"PHP/8.1.2", "ASP.NET"}}, nil},
		techPage{"wordpress", http.Header{"Set-Cookie": {"wordpress_logged_in=1; path=/", "PHPSESSID=abc"}, "Content-Type": {"text/html"}},
			[]byte(`<html><head><meta name="generator" content="WordPress 6.4.2"><script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>` +
				`<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.min.js"></script></head><body><div class="wp-block">x</div></body></html>`)},
		techPage{"upper case", http.Header{"SERVER": {"Apache/2.4.41 (Ubuntu)"}}, []byte(`<META NAME="GENERATOR" CONTENT="Joomla! - Open Source Content Management"><SCRIPT SRC="/media/jui/js/jquery.min.js"></SCRIPT>`)},
	)
	detections, versions := 0, 0
	for _, p := range pages {
		want := ref.Fingerprint(p.headers, p.body)
		got := ix.fingerprint(p.headers, p.body)
		if !reflect.DeepEqual(got, want) {
			var missing, extra []string
			for k := range want {
				if _, ok := got[k]; !ok {
					missing = append(missing, k)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					extra = append(extra, k)
				}
			}
			t.Errorf("%s: index differs from wappalyzergo: missing %v, extra %v", p.name, missing, extra)
		}
		detections += len(want)
		for k := range want {
			if strings.Contains(k, ":") {
				versions++
			}
		}
	}
	if detections < 1500 || versions < 200 {
		t.Errorf("only %d detections (%d with a version) over %d pages: the comparison proves little", detections, versions, len(pages))
	}
	t.Logf("%d pages, %d detections, %d with a version", len(pages), detections, versions)
}

// namedPattern is a pattern of the index with its application's name.
type namedPattern struct {
	app string
	p   *techPattern
}

// allPatterns lists every pattern of the index, each once.
func allPatterns(ix *techIndex) []namedPattern {
	var out []namedPattern
	seen := map[*techPattern]bool{}
	add := func(app string, p *techPattern) {
		if !seen[p] {
			seen[p] = true
			out = append(out, namedPattern{app, p})
		}
	}
	var apps []*techApp
	for _, l := range []map[string][]*techApp{ix.byHeader, ix.byCookie, ix.byMeta} {
		for _, as := range l {
			apps = append(apps, as...)
		}
	}
	for _, a := range slices.Concat(apps, ix.html, ix.scriptSrc) {
		for _, p := range slices.Concat(a.html, a.scriptSrc) {
			add(a.name, p)
		}
		for _, p := range a.headers {
			add(a.name, p)
		}
		for _, p := range a.cookies {
			add(a.name, p)
		}
		for _, l := range a.meta {
			for _, p := range l {
				add(a.name, p)
			}
		}
	}
	return out
}

// TestTechFilterSound: every pattern of the index (prefilter, lazy
// compile) answers what wappalyzergo's compiled pattern answers, for texts
// the pattern matches (built from it, also upper-cased, inside other
// text, and with ſ for s) and texts it does not; and most patterns have a
// literal to filter on.
func TestTechFilterSound(t *testing.T) {
	ix := index(t)
	matched, all, withLiteral := 0, 0, 0
	for _, np := range allPatterns(ix) {
		p := np.p
		all++
		if len(p.need) > 0 {
			withLiteral++
		}
		ref, err := wappalyzer.ParsePattern(p.source)
		if err != nil {
			t.Errorf("%s: %q is in the index but does not compile: %v", np.app, p.source, err)
			continue
		}
		base := sample(p.source)
		texts := []string{base, strings.ToUpper(base), "<div>" + base + "</div>", strings.ReplaceAll(base, "s", "ſ"), strings.ToLower(base), "", "nothing here",
			strings.Repeat("<p>long page</p>", memoFrom/16) + base} // long enough to be remembered
		for k := 1; k < 4; k++ {
			texts = append(texts, sampleBranch(p.source, k))
		}
		for _, text := range texts {
			want, wantV := ref.Evaluate(text)
			got, gotV, conf := p.evaluate(ix.newText(text))
			if got != want || gotV != wantV || got && conf != ref.Confidence {
				t.Errorf("%s: pattern %q on %.200q: index %v %q, wappalyzergo %v %q (needs %q)", np.app, p.source, text, got, gotV, want, wantV, p.need)
			}
			if want {
				matched++
			}
		}
	}
	if all < 6000 || withLiteral < all*3/4 || matched < all*5 {
		t.Errorf("%d patterns, %d with a literal, %d texts matched: the check proves little", all, withLiteral, matched)
	}
	if !strings.ContainsRune(ix.trouble, 'ſ') {
		t.Errorf("trouble runes %q lack ſ (U+017F matches s under (?i))", ix.trouble)
	}
	t.Logf("%d patterns, %d with a literal, %d texts matched", all, withLiteral, matched)
}

// TestWappalyzerRegexpIsItsOwn: the literals are derived from the regular
// expression wappalyzergo really compiles (its unexported field, read by
// reflection here).
func TestWappalyzerRegexpIsItsOwn(t *testing.T) {
	n := 0
	for _, np := range allPatterns(index(t)) {
		pp, err := wappalyzer.ParsePattern(np.p.source)
		if err != nil {
			continue
		}
		f := reflect.ValueOf(pp).Elem().FieldByName("regex")
		if !f.IsValid() {
			t.Fatal("wappalyzer.ParsedPattern has no regex field any more: check wappalyzerRegexp against ParsePattern")
		}
		want := ""
		if !f.IsNil() {
			want = (*regexp.Regexp)(unsafe.Pointer(f.Pointer())).String()
		}
		if got, _ := wappalyzerRegexp(np.p.source); got != want {
			t.Errorf("%s: %q compiles to %q, wappalyzerRegexp says %q", np.app, np.p.source, want, got)
		}
		n++
	}
	if n < 6000 {
		t.Errorf("only %d patterns", n)
	}
}

// TestSampleMatches keeps the synthetic pages honest: the generator's
// strings match most patterns they were made from.
func TestSampleMatches(t *testing.T) {
	ok, all := 0, 0
	for _, p := range []string{`nginx(?:/([\d.]+))?\;version:\1`, `^WordPress ?([\d.]+)?\;version:\1`, `jquery[.-]([\d.]*\d)[^/]*\.js\;version:\1`} {
		pp, err := wappalyzer.ParsePattern(p)
		if err != nil {
			t.Fatal(err)
		}
		all++
		if m, _ := pp.Evaluate(strings.Map(unicode.ToLower, sample(p))); m {
			ok++
		}
	}
	if ok != all {
		t.Errorf("%d of %d samples match", ok, all)
	}
}

// BenchmarkTech is one page's fingerprinting, by the index and by
// wappalyzergo's Fingerprint: bench300's 70-byte page, and a 200 kB page
// with 20 scripts and a few meta tags (a real site's size).
func BenchmarkTech(b *testing.B) {
	small := []byte("<html><head><title>bench000.net</title></head><body>shop</body></html>\n")
	var large bytes.Buffer
	large.WriteString(`<!doctype html><html><head><meta name="generator" content="WordPress 6.4.2"><meta name="viewport" content="width=device-width">`)
	for i := range 20 {
		fmt.Fprintf(&large, `<script src="/static/js/app.%d.min.js?ver=1.%d"></script>`, i, i)
	}
	for large.Len() < 200<<10 {
		large.WriteString(`<div class="product"><a href="/p/123">Item</a><span class="price">9.99</span><img src="/img/x.jpg" alt=""></div>` + "\n")
	}
	large.WriteString("</body></html>")
	h := http.Header{"Server": {"nginx"}, "Content-Type": {"text/html"}, "Set-Cookie": {"PHPSESSID=1; path=/"}}
	for _, page := range []struct {
		name string
		body []byte
	}{{"70B", small}, {"200kB", large.Bytes()}} {
		b.Run("index/"+page.name, func(b *testing.B) {
			ix := index(b)
			for b.Loop() {
				ix.fingerprint(h, page.body)
			}
		})
		b.Run("wappalyzergo/"+page.name, func(b *testing.B) {
			w := reference(b)
			for b.Loop() {
				w.Fingerprint(h, page.body)
			}
		})
	}
}

// TestModuleReportSameAsWappalyzer: a whole headers report (facts and
// pivots) of a page rich in technologies is the same with the index as
// with wappalyzergo's own Fingerprint.
func TestModuleReportSameAsWappalyzer(t *testing.T) {
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Server", "nginx/1.18.0")
		w.Header().Set("X-Powered-By", "PHP/8.1.2")
		w.Header().Set("Date", "Tue, 01 Dec 2026 12:00:00 GMT") // the same in both scans
		w.Header().Add("Set-Cookie", "PHPSESSID=abc; path=/")
		w.Header().Add("Set-Cookie", "wordpress_test_cookie=WP+Cookie+check; path=/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Shop</title>
<meta name="generator" content="WordPress 6.4.2">
<link rel="stylesheet" href="/wp-content/themes/x/style.css">
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
<script src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>window.dataLayer = window.dataLayer || [];</script>
</head><body><div class="elementor">shop</div></body></html>`)
	}), "192.0.2.10")
	ref := reference(t)
	scan := func(reference bool) (*recon.ModuleResult, *recon.HeadersFacts) {
		if reference {
			techReference = ref.Fingerprint
			defer func() { techReference = nil }()
		}
		return run(t, env, 10*time.Second)
	}
	gotRes, got := scan(false)
	wantRes, want := scan(true)
	if len(want.Tech) < 4 {
		t.Fatalf("the page shows too little: %v", want.Tech)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("facts differ:\nindex        %+v\nwappalyzergo %+v", got, want)
	}
	if !reflect.DeepEqual(gotRes.Pivots, wantRes.Pivots) || gotRes.Status != wantRes.Status {
		t.Errorf("pivots or status differ: %v %s vs %v %s", gotRes.Pivots, gotRes.Status, wantRes.Pivots, wantRes.Status)
	}
}

// BenchmarkTechIndexBuild is the compile Warm runs once per process.
func BenchmarkTechIndexBuild(b *testing.B) {
	for b.Loop() {
		if _, err := newTechIndex(); err != nil {
			b.Fatal(err)
		}
	}
}
