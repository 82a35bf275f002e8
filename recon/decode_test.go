package recon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// sameAsStream fails t unless Report.UnmarshalJSON of b gives what the
// reference (Report.decodeStream) gives: the same error, or the same
// report. It reports whether the fast path read b; the fast path must
// accept nothing the reference refuses.
func sameAsStream(t testing.TB, b []byte) (fast bool) {
	t.Helper()
	var want Report
	werr := want.decodeStream(b)
	var got Report
	fast = decodeReport(b, &got)
	if fast {
		if werr != nil {
			t.Fatalf("the fast path reads what the reference refuses (%v):\n%s", werr, clip(b))
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the fast path reads another report:\n%s\ninput:\n%s", firstDiff(got, want), clip(b))
		}
	}
	var via Report
	verr := via.UnmarshalJSON(b)
	if fmt.Sprint(verr) != fmt.Sprint(werr) {
		t.Fatalf("UnmarshalJSON: %v; reference: %v\ninput:\n%s", verr, werr, clip(b))
	}
	if werr == nil && !reflect.DeepEqual(via, want) {
		t.Fatalf("UnmarshalJSON reads another report:\n%s", firstDiff(via, want))
	}
	return fast
}

func clip(b []byte) string {
	if len(b) > 600 {
		return fmt.Sprintf("%q … (%d bytes)", b[:600], len(b))
	}
	return fmt.Sprintf("%q", b)
}

// firstDiff shows where two reports' JSON forms part (or says they are
// equal as JSON: a difference JSON does not show, nil against empty).
func firstDiff(a, b Report) string {
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d: fast %s; reference %s", i+1, la[i], lb[i])
		}
	}
	if len(la) != len(lb) {
		return fmt.Sprintf("fast %d lines, reference %d", len(la), len(lb))
	}
	return "equal as JSON (nil against empty, or a type)"
}

// corpusFiles are the session files of the repository: the export fixture
// and the crafted ones (escapes in every free-text field, a damaged scan).
// NS_BENCH_SESSION adds a big one.
func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob("../testdata/sessions/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no session files: %v", err)
	}
	files = append(files, "../export/testdata/demo.json")
	if p := os.Getenv("NS_BENCH_SESSION"); p != "" {
		files = append(files, p)
	}
	return files
}

// corpusReports returns the reports of the session files, as the files
// hold them (indented), and compacted as Load hands them over.
func corpusReports(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, path := range corpusFiles(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Nodes []struct {
				Scan    json.RawMessage `json:"scan"`
				History []struct {
					Scan json.RawMessage `json:"scan"`
				} `json:"history"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, n := range f.Nodes {
			raws := []json.RawMessage{n.Scan}
			for _, h := range n.History {
				raws = append(raws, h.Scan)
			}
			for _, r := range raws {
				if len(r) == 0 || string(r) == "null" {
					continue
				}
				var c bytes.Buffer
				if err := json.Compact(&c, r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r, c.Bytes())
			}
		}
	}
	return append(out, filledReport(t))
}

// filledReport is a report whose every module's facts have every field
// set (filled), so that every plan is read, not only the fields the
// session files happen to hold.
func filledReport(t testing.TB) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	r := Report{Modules: map[string]*ModuleResult{}}
	fill(reflect.ValueOf(&r.Target).Elem(), rng, 0)
	fill(reflect.ValueOf(&r.Assessment).Elem(), rng, 0)
	fill(reflect.ValueOf(&r.Notices).Elem(), rng, 0)
	r.Started = time.Date(2026, 11, 20, 10, 0, 0, 123, time.UTC)
	for _, m := range Modules {
		res := &ModuleResult{Module: m.ID, Status: StatusOK, Facts: m.NewFacts()}
		fill(reflect.ValueOf(res).Elem(), rng, 0)
		res.Status = StatusOK
		r.Modules[m.ID] = res
	}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fill sets every field of v to some value that is not zero.
func fill(v reflect.Value, rng *rand.Rand, depth int) {
	if depth > 6 {
		return
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		words := []string{"bench001.com", "CN=R11,O=Let's Encrypt", "é\u2014\"q\"\n", "ok", "ns1.example.net"}
		v.SetString(words[rng.IntN(len(words))])
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(1 + rng.IntN(100)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(1 + rng.IntN(100)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5 + float64(rng.IntN(4)))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), rng, depth+1)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(fmt.Sprint("k", i))
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, rng, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), rng, depth+1)
	case reflect.Interface:
		if !v.IsNil() && v.Elem().Kind() == reflect.Pointer {
			fill(v.Elem(), rng, depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), rng, depth+1)
			}
		}
	}
}

// TestFastDecodeReadsTheCorpus: the fast path reads every report of the
// session files (but the damaged ones) and builds the reference's report.
func TestFastDecodeReadsTheCorpus(t *testing.T) {
	slow := 0
	reports := corpusReports(t)
	for _, b := range reports {
		if !sameAsStream(t, b) {
			slow++
			if !bytes.Contains(b, []byte(`"status": 7`)) && !bytes.Contains(b, []byte(`"status":7`)) {
				t.Errorf("the fast path gave up on a report of the corpus:\n%s", clip(b))
			}
		}
	}
	if slow != 2 { // damaged-scan.json's report, indented and compacted
		t.Errorf("%d of %d reports went to the reference, want 2 (the damaged one)", slow, len(reports))
	}
}

// base is a small report with the hot shapes (SANs, pivots), a WHOIS
// record with escapes, a module of an unknown id and facts for it.
const base = `{"target":{"kind":"domain","value":"a.example"},
 "modules":{
  "ssl":{"status":"ok","touch":"target","facts":{"certs":[{"address":"192.0.2.1:443","server_name":"a.example","sans":["a.example","b.example"],"not_before":"2026-11-21T00:00:00Z","days_left":79,"verified":true}]},
   "signals":[],"pivots":[{"kind":"domain","value":"b.example","relation":"SAN"}],"started":"2026-12-01T09:47:35.55971977Z","duration_ms":12},
  "whois":{"status":"error","facts":{"domain":"a.example","registered":false,"raw":"line\r\n\tx \"q\" \u00e9\u2014\/"},"signals":null,"pivots":null,"error":"timeout"},
  "future":{"status":"ok","facts":{"n":1.5,"list":["x",null,true]}}
 },
 "assessment":{"level":"yellow","signals":[{"level":"yellow","text":"t","weight":0.5}],"for":["x"]},
 "notices":[{"kind":"tls-intercept","text":"proxy"}],
 "started":"2026-12-01T09:47:35Z","duration_ms":300}`

// TestFastDecodeLikeStream: for reports of the shapes the fast path reads
// and of those it leaves to the reference, UnmarshalJSON gives what the
// reference gives (result or error).
func TestFastDecodeLikeStream(t *testing.T) {
	sub := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("base has no %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name string
		in   string
		fast bool // the fast path reads it
	}{
		{"the base report", base, true},
		{"empty object", `{}`, true},
		{"white space everywhere", indent(base), true},
		{"null facts of a known module", sub(`"facts":{"domain"`, `"facts":null,"x":{"domain"`), false},
		{"null facts", sub(`"facts":{"n":1.5,"list":["x",null,true]}`, `"facts":null`), true},
		{"null pivots element", sub(`"pivots":[{"kind"`, `"pivots":[null,{"kind"`), true},
		{"null SAN", sub(`"sans":["a.example"`, `"sans":[null,"a.example"`), true},
		{"null string field", sub(`"server_name":"a.example"`, `"server_name":null`), true},
		{"null time", sub(`"not_before":"2026-11-21T00:00:00Z"`, `"not_before":null`), true},
		{"empty SANs", sub(`"sans":["a.example","b.example"]`, `"sans":[]`), true},
		{"surrogate pair", sub(`"a.example","b.example"`, `"a.example","\ud83d\ude00.example"`), true},
		{"lone surrogate", sub(`"a.example","b.example"`, `"a.example","\ud800x"`), true},
		{"invalid UTF-8", sub(`"a.example","b.example"`, "\"a.example\",\"b\xffe\xc3.example\""), true},
		{"valid UTF-8", sub(`"a.example","b.example"`, `"a.example","bücher.example"`), true},
		{"escape in a key", sub(`"server_name"`, `"server\u005fname"`), false},
		{"key of another case", sub(`"server_name"`, `"Server_Name"`), false},
		{"unknown key in facts", sub(`"server_name"`, `"servername"`), false},
		{"unknown key at the top", sub(`"notices"`, `"remarks":{"a":[1,2,{"b":null}]},"notices"`), true},
		{"repeated key in a struct", sub(`"days_left":79`, `"days_left":79,"days_left":80`), false},
		{"repeated key in a pivot", sub(`"relation":"SAN"`, `"relation":"SAN","kind":"ip"`), false},
		{"repeated module", sub(`"future":`, `"ssl":{"status":"ok"},"future":`), false},
		{"repeated top-level key", sub(`"duration_ms":300`, `"duration_ms":300,"target":{"kind":"ip"}`), false},
		{"number for a string", sub(`"server_name":"a.example"`, `"server_name":7`), false},
		{"string for a number", sub(`"days_left":79`, `"days_left":"79"`), false},
		{"float for an int", sub(`"days_left":79`, `"days_left":79.5`), false},
		{"exponent for an int", sub(`"days_left":79`, `"days_left":7e1`), false},
		{"int overflow", sub(`"days_left":79`, `"days_left":99999999999999999999`), false},
		{"negative duration", sub(`"duration_ms":300`, `"duration_ms":-3`), true},
		{"leading zero", sub(`"duration_ms":300`, `"duration_ms":0300`), false},
		{"bad time", sub(`"not_before":"2026-11-21T00:00:00Z"`, `"not_before":"yesterday"`), false},
		{"string for a list", sub(`"sans":["a.example","b.example"]`, `"sans":"a.example"`), false},
		{"object for a pivot list", sub(`"pivots":[{"kind"`, `"pivots":{"x":[{"kind"`) + "", false},
		{"modules null", `{"modules":null}`, false},
		{"modules a list", `{"modules":[]}`, false},
		{"module null", `{"modules":{"dns":null}}`, false},
		{"facts a string", `{"modules":{"dns":{"facts":"x"}}}`, false},
		{"trailing comma", sub(`"duration_ms":300}`, `"duration_ms":300,}`), false},
		{"missing comma", sub(`"duration_ms":300`, `"duration_ms":300 "x":1`), false},
		{"after the report", base + ` {}`, false},
		{"white space after", base + " \n", true},
		{"truncated", base[:len(base)/2], false},
		{"control character in a string", sub(`"value":"a.example"`, "\"value\":\"a.\x01example\""), false},
		{"bad escape", sub(`"value":"a.example"`, `"value":"a.\xexample"`), false},
		{"not an object", `["a"]`, false},
		{"empty", ``, false},
		{"whois failed with the old 'free'", `{"modules":{"whois":{"status":"error","facts":{"registered":false}}}}`, true},
		{"deep", `{"remarks":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fast := sameAsStream(t, []byte(tt.in)); fast != tt.fast {
				t.Errorf("fast path: %v, want %v", fast, tt.fast)
			}
		})
	}
}

// indent is s indented with every kind of JSON white space.
func indent(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "\r", " \t\n"); err != nil {
		panic(err)
	}
	return b.String()
}

// TestFastDecodeWhoisDowngrade: a failed WHOIS module's old "registered":
// false reads as unknown on the fast path as on the reference.
func TestFastDecodeWhoisDowngrade(t *testing.T) {
	var r Report
	if !decodeReport([]byte(`{"modules":{"whois":{"status":"error","facts":{"registered":false}}}}`), &r) {
		t.Fatal("not read on the fast path")
	}
	if got := FactsOf[WhoisFacts](&r, "whois").Registration; got != RegUnknown {
		t.Errorf("registration %q, want %q", got, RegUnknown)
	}
}

var (
	keyRE    = regexp.MustCompile(`"[a-z_]+"\s*:`)
	stringRE = regexp.MustCompile(`:\s*"[^"\\]*"`)
)

// mutate changes b in one of the ways that send a report off the fast
// path, or keep it on with another value.
func mutate(b []byte, rng *rand.Rand) []byte {
	b = bytes.Clone(b)
	pick := func(re *regexp.Regexp) []int {
		locs := re.FindAllIndex(b, 200)
		if len(locs) == 0 {
			return nil
		}
		return locs[rng.IntN(len(locs))]
	}
	splice := func(at, end int, with string) []byte {
		return append(append(append([]byte(nil), b[:at]...), with...), b[end:]...)
	}
	const alphabet = "\"{}[],: \t\n0-1eE.tfnu\\/x\x01\x7f\x80\xc3\xff"
	switch rng.IntN(9) {
	case 0: // a byte out
		if len(b) > 0 {
			i := rng.IntN(len(b))
			return splice(i, i+1, "")
		}
	case 1: // a byte in
		i := rng.IntN(len(b) + 1)
		return splice(i, i, string(alphabet[rng.IntN(len(alphabet))]))
	case 2: // a byte changed
		if len(b) > 0 {
			i := rng.IntN(len(b))
			return splice(i, i+1, string(alphabet[rng.IntN(len(alphabet))]))
		}
	case 3: // a key of another case
		if l := pick(keyRE); l != nil {
			return splice(l[0]+1, l[0]+2, strings.ToUpper(string(b[l[0]+1])))
		}
	case 4: // a key repeated
		if l := pick(keyRE); l != nil {
			return splice(l[0], l[0], string(b[l[0]:l[1]])+`"x",`)
		}
	case 5: // a string replaced
		if l := pick(stringRE); l != nil {
			vals := []string{`null`, `1`, `-0.5e3`, `true`, `{}`, `[]`, `"\u00e9\n"`, `"\ud83d\ude00"`, `"\ud800"`, "\"\xff\"", `"x\/y"`, `""`, `["a"]`, `[null]`}
			return splice(l[0]+1, l[1], vals[rng.IntN(len(vals))])
		}
	case 6: // white space
		i := rng.IntN(len(b) + 1)
		return splice(i, i, []string{" ", "\n\t", "\r", "\u00a0"}[rng.IntN(4)])
	case 7: // a span repeated
		if len(b) > 2 {
			i := rng.IntN(len(b))
			j := min(len(b), i+1+rng.IntN(40))
			return splice(j, j, string(b[i:j]))
		}
	case 8: // cut short
		return b[:rng.IntN(len(b)+1)]
	}
	return b
}

// TestFastDecodeMutations: mutated reports of the corpus decode as the
// reference decodes them, on the fast path or not.
func TestFastDecodeMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 23))
	reports := append(corpusReports(t), []byte(base))
	rounds := 60
	if testing.Short() {
		rounds = 30
	}
	fast, total := 0, 0
	for _, b := range reports {
		for range rounds {
			m := mutate(b, rng)
			if rng.IntN(3) == 0 {
				m = mutate(m, rng)
			}
			if sameAsStream(t, m) {
				fast++
			}
			total++
		}
	}
	t.Logf("%d mutations, %d read on the fast path", total, fast)
	if fast == 0 || fast == total {
		t.Errorf("the mutations do not exercise both paths (%d of %d fast)", fast, total)
	}
}

// FuzzReportDecode holds the fast path to the reference on arbitrary
// bytes, seeded with the reports of the session files.
func FuzzReportDecode(f *testing.F) {
	for _, b := range corpusReports(f) {
		if len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(base))
	f.Fuzz(func(t *testing.T, b []byte) {
		sameAsStream(t, b)
	})
}

// TestInternSharesRepeatedNames: two reports naming the same SANs hold one
// copy of each.
func TestInternSharesRepeatedNames(t *testing.T) {
	var a, b Report
	if !decodeReport([]byte(base), &a) || !decodeReport([]byte(base), &b) {
		t.Fatal("not read on the fast path")
	}
	sa := FactsOf[SSLFacts](&a, "ssl").Certs[0].SANs
	sb := FactsOf[SSLFacts](&b, "ssl").Certs[0].SANs
	for i := range sa {
		if unsafe.StringData(sa[i]) != unsafe.StringData(sb[i]) {
			t.Errorf("SAN %q is held twice", sa[i])
		}
	}
	if p := a.Modules["ssl"].Pivots[0].Value; unsafe.StringData(p) != unsafe.StringData(sa[1]) {
		t.Errorf("pivot %q and SAN %q are two copies", p, sa[1])
	}
	long := strings.Repeat("x", maxInterned+1)
	if s := intern([]byte(long)); s != long {
		t.Errorf("intern of a long string: %q", s)
	}
}
