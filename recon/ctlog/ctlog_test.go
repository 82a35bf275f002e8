package ctlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func TestDecodeCorpus(t *testing.T) {
	t.Run("certspotter 2025 expand=all", func(t *testing.T) {
		f, err := os.Open(recontest.Corpus(t, "ct", "certspotter_v1_issuances_sslmate.com_expand_all.json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		iss, err := DecodeCertspotter(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(iss) != 1 {
			t.Fatalf("got %d issuances, want 1", len(iss))
		}
		is := iss[0]
		if is.ID != "4326219514" || len(is.DNSNames) != 5 || !strings.HasPrefix(is.CertSHA256, "20cbc0d1") || len(is.CertDER) == 0 {
			t.Errorf("unexpected issuance: id=%q names=%d sha=%q der=%d", is.ID, len(is.DNSNames), is.CertSHA256, len(is.CertDER))
		}
		if !is.NotBefore.Equal(time.Date(2022, 10, 22, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("not_before = %v", is.NotBefore)
		}
		if !strings.Contains(is.Issuer, "Sectigo RSA Domain Validation") {
			t.Errorf("issuer = %q", is.Issuer)
		}
	})
	t.Run("certspotter 2021 cert object and -00:00", func(t *testing.T) {
		f, err := os.Open(recontest.Corpus(t, "ct", "certspotter_v1_issuances_example.com_2021.json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		iss, err := DecodeCertspotter(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(iss) == 0 {
			t.Fatal("no issuances")
		}
		is := iss[0]
		if is.ID != "648494876" || len(is.DNSNames) != 8 {
			t.Errorf("id=%q names=%v", is.ID, is.DNSNames)
		}
		if !is.NotBefore.Equal(time.Date(2018, 11, 28, 0, 0, 0, 0, time.UTC)) || !is.NotAfter.Equal(time.Date(2020, 12, 2, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("dates %v %v", is.NotBefore, is.NotAfter)
		}
		if is.CertSHA256 != "9250711c54de546f4370e0c3d3a3ec45bc96092a25a4a71a1afa396af7047eb8" || len(is.CertDER) == 0 {
			t.Errorf("cert sha %q der %d", is.CertSHA256, len(is.CertDER))
		}
		names := Names("example.com", iss)
		if !reflect.DeepEqual(names, []string{"www.example.com"}) {
			t.Errorf("Names = %v", names)
		}
	})
	t.Run("crt.sh issuer -1 and null entry_timestamp", func(t *testing.T) {
		f, err := os.Open(recontest.Corpus(t, "ct", "crtsh_dNSName_example.com_exclude_expired.json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		iss, err := DecodeCrtsh(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(iss) != 3 {
			t.Fatalf("got %d entries", len(iss))
		}
		if !reflect.DeepEqual(iss[0].DNSNames, []string{"example.com", "www.example.com"}) {
			t.Errorf("names = %q", iss[0].DNSNames)
		}
		if iss[2].Issuer != "Issuer Not Found" || iss[2].ID != "8506962125" {
			t.Errorf("third = %+v", iss[2])
		}
		if !iss[2].NotBefore.Equal(time.Date(2023, 1, 27, 1, 21, 18, 0, time.UTC)) {
			t.Errorf("not_before = %v", iss[2].NotBefore)
		}
		if iss[0].Serial != iss[1].Serial {
			t.Errorf("precert and cert should share a serial")
		}
	})
}

func TestNormaliseAndNames(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"WWW.Example.COM", "www.example.com", true},
		{"*.a.example.com", "a.example.com", true},
		{"*.*.b.example.com", "b.example.com", true},
		{"mail.example.com.", "mail.example.com", true},
		{"admin@example.com", "", false},
		{"a b.example.com", "", false},
		{"x.*.example.com", "", false},
		{"", "", false},
		{"_dmarc.example.com", "_dmarc.example.com", true},
		{"a..example.com", "", false},
	}
	for _, tc := range tests {
		got, ok := Normalise(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Normalise(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	iss := []Issuance{{DNSNames: []string{"example.com", "*.example.com", "B.example.com", "a.example.com", "notexample.com", "example.com.evil.net", "*.a.example.com", "x\x1b[31m.example.com"}}}
	got := Names("example.com", iss)
	if want := []string{"a.example.com", "b.example.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
}

// ctServer is a fake Cert Spotter + crt.sh on loopback.
type ctServer struct {
	certspotter http.HandlerFunc
	crtsh       http.HandlerFunc
	csHits      atomic.Int32
	crtHits     atomic.Int32
}

func (s *ctServer) start(t *testing.T) *recon.Env {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/issuances", func(w http.ResponseWriter, r *http.Request) {
		s.csHits.Add(1)
		if s.certspotter == nil {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		s.certspotter(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.crtHits.Add(1)
		if s.crtsh == nil {
			http.Error(w, "no", http.StatusBadGateway)
			return
		}
		s.crtsh(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	env := recontest.Env(t, "127.0.0.1:1", nil)
	env.CertspotterURL = srv.URL
	env.CrtshURL = srv.URL + "/"
	return env
}

func runModule(t *testing.T, env *recon.Env, domain string) *recon.ModuleResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := New().Run(ctx, recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: domain}))
	if res == nil {
		t.Fatal("nil result")
	}
	return res
}

func facts(t *testing.T, res *recon.ModuleResult) *recon.SubdomainFacts {
	t.Helper()
	f, ok := res.Facts.(*recon.SubdomainFacts)
	if !ok || f == nil {
		t.Fatalf("facts are %T", res.Facts)
	}
	return f
}

func csJSON(entries ...string) string { return "[" + strings.Join(entries, ",") + "]" }

func csEntry(id int, nb string, names ...string) string {
	b, _ := json.Marshal(names)
	return fmt.Sprintf(`{"id":"%d","dns_names":%s,"not_before":"%s","not_after":"2030-01-01T00:00:00Z"}`, id, b, nb)
}

func TestPagination(t *testing.T) {
	const key = "sekrit-key-123"
	s := &ctServer{}
	var auth atomic.Value
	s.certspotter = func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		q := r.URL.Query()
		if q.Get("domain") != "example.com" || q.Get("include_subdomains") != "true" || q.Get("expand") != "dns_names" {
			http.Error(w, "bad query "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		switch q.Get("after") {
		case "":
			fmt.Fprint(w, csJSON(csEntry(1, "2024-05-01T00:00:00Z", "example.com", "*.example.com"), csEntry(2, "2023-01-02T03:04:05Z", "WWW.example.com", "other.org")))
		case "2":
			fmt.Fprint(w, csJSON(csEntry(3, "2024-06-01T00:00:00Z", "*.api.example.com", "mail.example.com")))
		case "3":
			fmt.Fprint(w, "[]")
		default:
			http.Error(w, "unexpected after", http.StatusBadRequest)
		}
	}
	env := s.start(t)
	env.Keys.Certspotter = key
	res := runModule(t, env, "example.com")
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	f := facts(t, res)
	if want := []string{"api.example.com", "mail.example.com", "www.example.com"}; !reflect.DeepEqual(f.Names, want) {
		t.Errorf("names = %v, want %v", f.Names, want)
	}
	if f.Pages != 3 || f.Source != "certspotter" || f.Total != 3 || f.Capped || f.Fallback != "" {
		t.Errorf("facts = %+v", f)
	}
	if f.FirstIssuance == nil || !f.FirstIssuance.Equal(time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("first issuance = %v", f.FirstIssuance)
	}
	// The certificate that also names other.org links the two domains
	// (co-issued): a domain pivot, not a subdomain.
	if len(res.Pivots) != 4 || res.Pivots[0] != (recon.Pivot{Kind: recon.PivotSubdomain, Value: "api.example.com", Relation: recon.RelCT}) ||
		res.Pivots[3] != (recon.Pivot{Kind: recon.PivotDomain, Value: "other.org", Relation: recon.RelSAN}) {
		t.Errorf("pivots = %v", res.Pivots)
	}
	if len(f.CoIssued) != 1 || !reflect.DeepEqual(f.CoIssued[0].Domains, []string{"example.com", "other.org"}) || f.CoIssued[0].DomainsTotal != 2 {
		t.Errorf("co-issued = %+v", f.CoIssued)
	}
	if got := auth.Load(); got != "Bearer "+key {
		t.Errorf("Authorization = %v", got)
	}
	b, _ := json.Marshal(res)
	if bytes.Contains(b, []byte(key)) {
		t.Error("API key leaked into the result")
	}
	if s.crtHits.Load() != 0 {
		t.Error("crt.sh asked although Cert Spotter worked")
	}
}

func TestMaxPages(t *testing.T) {
	s := &ctServer{}
	var n atomic.Int32
	s.certspotter = func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		fmt.Fprint(w, csJSON(csEntry(i, "2024-01-01T00:00:00Z", fmt.Sprintf("h%d.example.com", i))))
	}
	env := s.start(t)
	env.Limits.CTMaxPages = 4
	f := facts(t, runModule(t, env, "example.com"))
	if f.Pages != 4 || len(f.Names) != 4 {
		t.Errorf("pages=%d names=%v", f.Pages, f.Names)
	}
}

const crtshBody = `[{"issuer_ca_id":-1,"issuer_name":"Issuer Not Found","common_name":"example.com","name_value":"Dev.example.com\n*.shop.example.com\nexample.com","id":1,"entry_timestamp":null,"not_before":"2021-01-27T01:21:18","not_after":"2033-01-24T01:21:18","serial_number":"1a"}]`

func TestFallbacks(t *testing.T) {
	okCrtsh := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") != "%.example.com" || r.URL.Query().Get("output") != "json" {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, crtshBody)
	}
	limited := func(after string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if after != "" {
				w.Header().Set("Retry-After", after)
			}
			http.Error(w, `{"code":"rate_limited"}`, http.StatusTooManyRequests)
		}
	}
	tests := []struct {
		name        string
		cs, crt     http.HandlerFunc
		maxBody     int64
		status      recon.Status
		source      string
		fallbackHas string
		names       []string
	}{
		{"429 then crt.sh", limited("120"), okCrtsh, 0, recon.StatusOK, "crtsh", "rate-limiting", []string{"dev.example.com", "shop.example.com"}},
		{"429 and crt.sh down", limited("120"), nil, 0, recon.StatusRateLimited, "certspotter", "rate-limiting", []string{}},
		{"5xx then crt.sh", nil, okCrtsh, 0, recon.StatusOK, "crtsh", "HTTP 503", []string{"dev.example.com", "shop.example.com"}},
		{"5xx and crt.sh 429", nil, limited(""), 0, recon.StatusRateLimited, "certspotter", "HTTP 503", []string{}},
		{"both 5xx", nil, nil, 0, recon.StatusError, "certspotter", "HTTP 503", []string{}},
		{"malformed JSON", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `[{"id":`) }, okCrtsh, 0, recon.StatusOK, "crtsh", "not the expected JSON", []string{"dev.example.com", "shop.example.com"}},
		{"body over the cap", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "["+strings.Repeat(" ", 5000)+"]")
		}, nil, 1000, recon.StatusError, "certspotter", "larger than the limit", []string{}},
		{"empty result", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") }, nil, 0, recon.StatusOK, "certspotter", "", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &ctServer{certspotter: tc.cs, crtsh: tc.crt}
			env := s.start(t)
			if tc.maxBody > 0 {
				env.Limits.MaxBody = tc.maxBody
			}
			res := runModule(t, env, "example.com")
			if res.Status != tc.status {
				t.Fatalf("status = %s (%s), want %s", res.Status, res.Err, tc.status)
			}
			if res.Status != recon.StatusOK {
				// No issuance was read: no facts, so no "total": 0 reads
				// as "no subdomains"; the error names both sources.
				if res.Facts != nil || !strings.Contains(res.Err, tc.fallbackHas) {
					t.Errorf("facts %+v err %q", res.Facts, res.Err)
				}
				return
			}
			f := facts(t, res)
			if f.Source != tc.source || !strings.Contains(f.Fallback, tc.fallbackHas) || (tc.fallbackHas == "" && f.Fallback != "") {
				t.Errorf("source=%q fallback=%q", f.Source, f.Fallback)
			}
			if !reflect.DeepEqual(f.Names, tc.names) {
				t.Errorf("names = %v, want %v", f.Names, tc.names)
			}
			if res.Status == recon.StatusOK && f.Total != len(tc.names) {
				t.Errorf("total = %d", f.Total)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	s := &ctServer{}
	var n atomic.Int32
	s.certspotter = func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "[]")
	}
	env := s.start(t)
	res := runModule(t, env, "example.com")
	if res.Status != recon.StatusOK || facts(t, res).Source != "certspotter" || n.Load() != 2 {
		t.Fatalf("status=%s err=%s hits=%d", res.Status, res.Err, n.Load())
	}
	var st recon.SourceStats
	for _, x := range env.Sources.Snapshot() {
		if x.Service == "certspotter" {
			st = x
		}
	}
	if st.Requests != 2 || st.RateLimited != 1 {
		t.Errorf("stats = %+v", st)
	}

	// A long Retry-After is recorded as a back-off for the service.
	s2 := &ctServer{certspotter: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "300")
		w.WriteHeader(http.StatusTooManyRequests)
	}, crtsh: func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") }}
	env2 := s2.start(t)
	res2 := runModule(t, env2, "example.com")
	if res2.Status != recon.StatusOK || s2.csHits.Load() != 1 {
		t.Fatalf("status=%s hits=%d", res2.Status, s2.csHits.Load())
	}
	for _, x := range env2.Sources.Snapshot() {
		if x.Service == "certspotter" && time.Until(x.LimitedUntil) < 200*time.Second {
			t.Errorf("back-off not recorded: %v", x.LimitedUntil)
		}
	}
}

func TestCap(t *testing.T) {
	s := &ctServer{certspotter: func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("after") != "" {
			fmt.Fprint(w, "[]")
			return
		}
		var names []string
		for i := 0; i < 50; i++ {
			names = append(names, fmt.Sprintf("h%02d.example.com", i))
		}
		fmt.Fprint(w, csJSON(csEntry(1, "2024-01-01T00:00:00Z", names...)))
	}}
	env := s.start(t)
	env.Limits.SubdomainCap = 10
	res := runModule(t, env, "example.com")
	f := facts(t, res)
	if !f.Capped || f.Total != 50 || len(f.Names) != 10 || f.Cap != 10 || len(res.Pivots) != 10 || f.Names[0] != "h00.example.com" {
		t.Errorf("facts = %+v pivots=%d", f, len(res.Pivots))
	}
}

func TestRateLimitErrorIs(t *testing.T) {
	var err error = &RateLimitError{Service: "crtsh"}
	if !errors.Is(fmt.Errorf("x: %w", err), ErrRateLimited) {
		t.Error("errors.Is failed")
	}
}

func TestApplies(t *testing.T) {
	m := New()
	if m.ID() != "subdomains" || m.Touch() != recon.TouchThirdParty || !m.Applies(recon.KindEmail) || m.Applies(recon.KindIP) {
		t.Error("module metadata wrong")
	}
}

func FuzzDecodeCertspotter(f *testing.F) {
	f.Add([]byte(`[{"id":"1","dns_names":["a.com"],"not_before":"2020-01-01T00:00:00-00:00","cert":{"data":"AAAA"}}]`))
	f.Add([]byte(`[{"id":12,"cert_der":"!!"}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		iss, err := DecodeCertspotter(bytes.NewReader(b))
		if err == nil {
			_ = Names("a.com", iss)
		}
	})
}

func FuzzDecodeCrtsh(f *testing.F) {
	f.Add([]byte(crtshBody))
	f.Add([]byte(`[{"name_value":null,"id":-1}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		iss, err := DecodeCrtsh(bytes.NewReader(b))
		if err == nil {
			_ = Names("a.com", iss)
		}
	})
}

func TestCoIssued(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	iss := []Issuance{
		{ID: "1", CertSHA256: "AA", PubkeySHA256: "K1", DNSNames: []string{"kit-alpha.com", "www.kit-alpha.com"}, NotBefore: at(3)},
		{ID: "2", CertSHA256: "bb", DNSNames: []string{"*.Kit-Alpha.com", "kit-beta.net", "shop.kit-gamma.co.uk"}, NotBefore: at(2)},
		{ID: "3", DNSNames: []string{"kit-alpha.com", "other.org"}, NotBefore: at(1)},
		{ID: "4", CertSHA256: "bb", DNSNames: []string{"kit-alpha.com", "kit-beta.net"}, NotBefore: at(4)}, // the same certificate again
		{ID: "5", CertSHA256: "cc", DNSNames: []string{"unrelated.com", "another.net"}, NotBefore: at(5)},
		{ID: "6", CertSHA256: "dd", DNSNames: []string{"not a name", "kit-alpha.com"}, NotBefore: at(6)},
	}
	got := CoIssued("www.kit-alpha.com", iss)
	if len(got) != 2 {
		t.Fatalf("co-issued %+v, want 2 (ct-id:3 and bb)", got)
	}
	if got[0].SHA256 != "ct-id:3" || !reflect.DeepEqual(got[0].Domains, []string{"kit-alpha.com", "other.org"}) {
		t.Errorf("first %+v", got[0])
	}
	if got[1].SHA256 != "bb" || got[1].DomainsTotal != 3 || !reflect.DeepEqual(got[1].Domains, []string{"kit-alpha.com", "kit-beta.net", "kit-gamma.co.uk"}) {
		t.Errorf("second %+v", got[1])
	}
	// A platform certificate with more domains than the cap keeps the queried one.
	var many []string
	for i := range 100 {
		many = append(many, fmt.Sprintf("site%03d.com", i))
	}
	big := CoIssued("site099.com", []Issuance{{CertSHA256: "ee", DNSNames: many}})
	if len(big) != 1 || big[0].DomainsTotal != 100 || len(big[0].Domains) != recon.MaxCoIssued || !slices.Contains(big[0].Domains, "site099.com") {
		t.Errorf("capped %d of %d, queried kept: %v", len(big[0].Domains), big[0].DomainsTotal, slices.Contains(big[0].Domains, "site099.com"))
	}
}
