package whoismod

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

const ianaCom = `% IANA WHOIS server
% for more information on IANA, visit http://www.iana.org
% This query returned 1 object

refer:        whois.verisign-grs.com

domain:       COM

organisation: VeriSign Global Registry Services
nserver:      A.GTLD-SERVERS.NET 192.5.6.30 2001:503:a83e:0:0:0:2:30
whois:        whois.verisign-grs.com

status:       ACTIVE
created:      1985-01-01
changed:      2017-10-05
source:       IANA
`

const thinRecord = `   Domain Name: NOVA-PARCELS.COM
   Registry Domain ID: 2605399687_DOMAIN_COM-VRSN
   Registrar WHOIS Server: whois.namecheap.com
   Registrar URL: http://www.namecheap.com
   Updated Date: 2024-11-04T01:52:06Z
   Creation Date: 2024-11-02T18:21:56Z
   Registry Expiry Date: 2025-11-02T18:21:56Z
   Registrar: NameCheap, Inc.
   Registrar IANA ID: 1068
   Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited
   Name Server: NS1.NOVA-DNS.NET
   Name Server: NS2.NOVA-DNS.NET.
   DNSSEC: unsigned
>>> Last update of whois database: 2024-11-20T09:38:42Z <<<
`

const thickRecord = `Domain name: nova-parcels.com
Registry Domain ID: 2605399687_DOMAIN_COM-VRSN
Registrar WHOIS Server: whois.namecheap.com
Registrar URL: http://www.namecheap.com
Updated Date: 2024-11-04T01:52:06.00Z
Creation Date: 2024-11-02T18:21:57.00Z
Registrar Registration Expiration Date: 2025-11-02T18:21:56.00Z
Registrar: NAMECHEAP INC
Registrar IANA ID: 1068
Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited
Registrant Name: Redacted for Privacy
Registrant Organization: Privacy service provided by Withheld for Privacy ehf
Registrant Country: IS
Name Server: ns1.nova-dns.net
Name Server: ns2.nova-dns.net
DNSSEC: unsigned
`

const verisignNoMatch = `No match for "NOVA-PARCELS.COM".
>>> Last update of whois database: 2022-07-03T03:50:56Z <<<

NOTICE: The expiration date displayed in this record is the date the
registrar's sponsorship of the domain name registration in the registry is
currently set to expire.
`

const afnicThrottled = `%%
%% This is the AFNIC Whois server.
%%
%% Too many requests...
%%

%% No entries found in the AFNIC Database.
`

// world is a set of loopback WHOIS servers reachable under public names.
type world struct {
	mu      sync.Mutex
	queries map[string][]string // server name -> queries received
	routes  map[string]string
}

func newWorld() *world { return &world{queries: map[string][]string{}, routes: map[string]string{}} }

// serve starts a WHOIS server reached as name ("whois.x.com:43").
func (w *world) serve(t *testing.T, name string, answer func(q string) string) {
	t.Helper()
	addr := recontest.StartWhois(t, func(q string) string {
		w.mu.Lock()
		w.queries[name] = append(w.queries[name], q)
		w.mu.Unlock()
		return answer(q)
	})
	w.routes[name] = addr
}

func (w *world) asked(name string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.queries[name]...)
}

func fixed(s string) func(string) string { return func(string) string { return s } }

func (w *world) env(t *testing.T) *recon.Env {
	t.Helper()
	env := recontest.Env(t, "127.0.0.1:1", w.routes)
	env.RDAPBootstrapURL = "" // no RDAP unless a test serves one
	return env
}

func runModule(t *testing.T, env *recon.Env, ctx context.Context, target string) (*recon.ModuleResult, *recon.WhoisFacts) {
	t.Helper()
	res := New().Run(ctx, recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: target}))
	if res == nil {
		t.Fatal("nil result")
	}
	f, _ := res.Facts.(*recon.WhoisFacts)
	return res, f
}

func TestModuleShape(t *testing.T) {
	m := New()
	if m.ID() != "whois" || m.Touch() != recon.TouchThirdParty {
		t.Errorf("id/touch = %s/%s", m.ID(), m.Touch())
	}
	for k, want := range map[recon.Kind]bool{recon.KindDomain: true, recon.KindEmail: true, recon.KindIP: false} {
		if m.Applies(k) != want {
			t.Errorf("Applies(%s) = %v", k, !want)
		}
	}
}

func TestModuleReferralChain(t *testing.T) {
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	w.serve(t, "whois.verisign-grs.com:43", fixed(thinRecord))
	w.serve(t, "whois.namecheap.com:43", fixed(thickRecord))
	env := w.env(t)

	res, f := runModule(t, env, context.Background(), "nova-parcels.com")
	if res.Status != recon.StatusOK || f == nil {
		t.Fatalf("status %s err %q", res.Status, res.Err)
	}
	wantServers := []string{"whois.iana.org:43", "whois.verisign-grs.com:43", "whois.namecheap.com:43"}
	if !reflect.DeepEqual(f.Servers, wantServers) {
		t.Errorf("servers = %v, want %v", f.Servers, wantServers)
	}
	for _, s := range wantServers {
		if q := w.asked(s); len(q) != 1 || q[0] != "nova-parcels.com" {
			t.Errorf("%s was asked %q", s, q)
		}
	}
	if f.Source != "whois" || !f.Registered || f.Registrar != "NAMECHEAP INC" || f.RegistrarIANAID != "1068" {
		t.Errorf("facts: %+v", f)
	}
	if f.Created == nil || !f.Created.Equal(time.Date(2024, 11, 2, 18, 21, 57, 0, time.UTC)) {
		t.Errorf("created = %v (the registrar's value should win)", f.Created)
	}
	if want := []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}; !reflect.DeepEqual(f.NameServers, want) {
		t.Errorf("ns = %v", f.NameServers)
	}
	if !f.Privacy || f.RegistrantCountry != "IS" {
		t.Errorf("privacy %v %q country %q", f.Privacy, f.PrivacyEvidence, f.RegistrantCountry)
	}
	for _, s := range wantServers {
		if !strings.Contains(f.Raw, "# "+s+"\n") {
			t.Errorf("raw lacks the header of %s", s)
		}
	}
	if strings.Contains(f.Raw, "Query time") || strings.Contains(f.Raw, "WHEN:") {
		t.Error("likexian's query stats were appended to the raw answer")
	}
	wantPivots := []recon.Pivot{
		{Kind: recon.PivotRegistrar, Value: "NAMECHEAP INC", Relation: recon.RelRegistrar},
		{Kind: recon.PivotNS, Value: "ns1.nova-dns.net", Relation: recon.RelNS},
		{Kind: recon.PivotNS, Value: "ns2.nova-dns.net", Relation: recon.RelNS},
	}
	if !reflect.DeepEqual(res.Pivots, wantPivots) {
		t.Errorf("pivots = %v", res.Pivots)
	}
	// The transcript parses back to the same record.
	back, kind, _ := ParseWhois(f.Raw)
	if kind != AnswerFound || back.Registrar != f.Registrar || !back.Created.Equal(*f.Created) {
		t.Errorf("raw does not parse back: %v %+v", kind, back)
	}
	if st := env.Sources.Snapshot(); len(st) != 1 || st[0].Service != "whois" || st[0].Requests != 3 {
		t.Errorf("sources = %+v", st)
	}
}

func TestModuleEmailTarget(t *testing.T) {
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	w.serve(t, "whois.verisign-grs.com:43", fixed(verisignNoMatch))
	env := w.env(t)
	res := New().Run(context.Background(), recon.NewRun(env, recon.Target{Kind: recon.KindEmail, Value: "billing@nova-parcels.com"}))
	if q := w.asked("whois.verisign-grs.com:43"); len(q) != 1 || q[0] != "nova-parcels.com" {
		t.Errorf("registry asked %q, want the e-mail's domain", q)
	}
	if res.Status != recon.StatusOK {
		t.Errorf("status %s %q", res.Status, res.Err)
	}
}

func TestModuleOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		registry string
		status   recon.Status
		reg      bool
		servers  int
		errHas   string
	}{
		{"no match", verisignNoMatch, recon.StatusOK, false, 2, ""},
		{"afnic throttled", afnicThrottled, recon.StatusRateLimited, false, 2, "Too many requests"},
		{"pir limit", "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\n", recon.StatusRateLimited, false, 2, "LIMIT EXCEEDED"},
		{"garbage without rdap", "\x00\x01\xfe garbage \xff\n", recon.StatusError, false, 2, "nothing that reads as a registration record"},
		// The registry names itself as the registrar's server: asked once.
		{"self referral", strings.Replace(thinRecord, "whois.namecheap.com", "whois.verisign-grs.com", 1), recon.StatusOK, true, 2, ""},
		// The registry refers back to IANA: a loop, stopped.
		{"loop", "refer: whois.iana.org\n", recon.StatusError, false, 2, "loop"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld()
			w.serve(t, "whois.iana.org:43", fixed(ianaCom))
			w.serve(t, "whois.verisign-grs.com:43", fixed(tc.registry))
			res, f := runModule(t, w.env(t), context.Background(), "nova-parcels.com")
			if res.Status != tc.status {
				t.Fatalf("status = %s (%q), want %s", res.Status, res.Err, tc.status)
			}
			if f == nil {
				t.Fatal("no facts")
			}
			if f.Registered != tc.reg {
				t.Errorf("registered = %v", f.Registered)
			}
			if len(f.Servers) != tc.servers {
				t.Errorf("servers = %v", f.Servers)
			}
			if !strings.Contains(res.Err, tc.errHas) {
				t.Errorf("err = %q, want it to contain %q", res.Err, tc.errHas)
			}
			if n := len(w.asked("whois.iana.org:43")); n != 1 {
				t.Errorf("IANA asked %d times", n)
			}
		})
	}
}

// TestModuleSilentServer: a registry that accepts and never answers costs
// no more than the module's context.
func TestModuleSilentServer(t *testing.T) {
	release := make(chan struct{})
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	w.serve(t, "whois.verisign-grs.com:43", func(string) string { <-release; return "" })
	t.Cleanup(func() { close(release) }) // runs before the servers' cleanup
	env := w.env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, f := runModule(t, env, ctx, "nova-parcels.com")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "did not answer within") || !strings.Contains(res.Err, "whois.verisign-grs.com:43") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
	if f == nil || len(f.Servers) != 2 {
		t.Errorf("facts %+v", f)
	}
}

// TestModuleHugeAnswer: a server that sends more than MaxWhois bytes is cut.
func TestModuleHugeAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 512)
		_, _ = c.Read(buf)
		_, _ = c.Write([]byte(thinRecord))
		line := []byte(strings.Repeat("x", 1023) + "\n")
		for i := 0; i < 64<<10; i++ { // 64 MiB unless the client stops reading
			n, err := c.Write(line)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })

	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	w.routes["whois.verisign-grs.com:43"] = ln.Addr().String()
	w.serve(t, "whois.namecheap.com:43", fixed(thickRecord))
	env := w.env(t)
	env.Limits.MaxWhois = 64 << 10
	res, f := runModule(t, env, context.Background(), "nova-parcels.com")
	if res.Status != recon.StatusOK || f == nil {
		t.Fatalf("status %s err %q", res.Status, res.Err)
	}
	if len(f.Raw) > 2*int(env.Limits.MaxWhois)+100 {
		t.Errorf("raw is %d bytes, limit %d per answer", len(f.Raw), env.Limits.MaxWhois)
	}
	if !strings.Contains(f.Raw, "answer cut at 65536 bytes") {
		t.Error("the cut is not recorded")
	}
	ln.Close()
	wg.Wait()
	if n := written.Load(); n > 16<<20 {
		t.Errorf("the client kept reading: the server wrote %d bytes", n)
	}
	if f.Registrar != "NAMECHEAP INC" {
		t.Errorf("registrar %q", f.Registrar)
	}
}

// rdapWorld serves a bootstrap, a registry RDAP and a registrar RDAP.
func rdapWorld(t *testing.T, domainStatus int) (*httptest.Server, *int) {
	t.Helper()
	var srv *httptest.Server
	hits := new(int)
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("/bootstrap/dns.json", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*hits++
		mu.Unlock()
		fmt.Fprintf(w, `{"version":"1.0","services":[[["net","org"],["https://unused.example/"]],[["com"],["%s/registry/"]]]}`, srv.URL)
	})
	mux.HandleFunc("/registry/domain/nova-parcels.com", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") == "" || !strings.Contains(r.Header.Get("Accept"), "application/rdap+json") {
			http.Error(w, "bad accept", http.StatusBadRequest)
			return
		}
		if domainStatus != http.StatusOK {
			w.WriteHeader(domainStatus)
			fmt.Fprint(w, `{"errorCode":404,"title":"Not Found"}`)
			return
		}
		w.Header().Set("Content-Type", "application/rdap+json")
		fmt.Fprintf(w, `{"objectClassName":"domain","ldhName":"NOVA-PARCELS.COM",
 "status":["client transfer prohibited"],
 "events":[{"eventAction":"registration","eventDate":"2024-11-02T18:21:56Z"},{"eventAction":"expiration","eventDate":"2025-11-02T18:21:56Z"},{"eventAction":"last changed","eventDate":"2024-11-04T01:52:06Z"}],
 "nameservers":[{"objectClassName":"nameserver","ldhName":"NS2.NOVA-DNS.NET"},{"objectClassName":"nameserver","ldhName":"NS1.NOVA-DNS.NET."}],
 "entities":[{"objectClassName":"entity","roles":["registrar"],"publicIds":[{"type":"IANA Registrar ID","identifier":"1068"}],
   "vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","NameCheap, Inc."]]]}],
 "links":[{"rel":"self","href":"%[1]s/registry/domain/NOVA-PARCELS.COM","type":"application/rdap+json"},
          {"rel":"related","href":"%[1]s/registrar/domain/NOVA-PARCELS.COM","type":"application/rdap+json"}]}`, srv.URL)
	})
	mux.HandleFunc("/registrar/domain/NOVA-PARCELS.COM", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"objectClassName":"domain","ldhName":"nova-parcels.com",
 "entities":[{"roles":["registrant"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Redacted for Privacy"],["org",{},"text","Privacy service provided by Withheld for Privacy ehf"],["adr",{"cc":"IS"},"text",["","","","","","",""]]]]},
  {"roles":["registrar"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","NAMECHEAP INC"],["url",{},"uri","https://www.namecheap.com"]]]}]}`)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, hits
}

func TestModuleRDAPFallback(t *testing.T) {
	srv, hits := rdapWorld(t, http.StatusOK)
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	w.serve(t, "whois.verisign-grs.com:43", fixed("\x1b[2J\x00\xff<html>oops</html>\n"))
	env := w.env(t)
	env.RDAPBootstrapURL = srv.URL + "/bootstrap" // no trailing slash: the module adds it

	for i := 0; i < 2; i++ {
		res, f := runModule(t, env, context.Background(), "nova-parcels.com")
		if res.Status != recon.StatusOK || f == nil {
			t.Fatalf("status %s err %q", res.Status, res.Err)
		}
		if f.Source != "rdap" || !f.Registered || f.Registrar != "NAMECHEAP INC" || f.RegistrarIANAID != "1068" || f.RegistrarURL != "https://www.namecheap.com" {
			t.Errorf("facts: %+v", f)
		}
		if f.Created == nil || f.Created.Format(time.RFC3339) != "2024-11-02T18:21:56Z" || f.Updated == nil || f.Expires == nil {
			t.Errorf("dates %v %v %v", f.Created, f.Updated, f.Expires)
		}
		if want := []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}; !reflect.DeepEqual(f.NameServers, want) {
			t.Errorf("ns = %v", f.NameServers)
		}
		if !f.Privacy || f.RegistrantCountry != "IS" {
			t.Errorf("privacy %v country %q", f.Privacy, f.RegistrantCountry)
		}
		want := []string{"whois.iana.org:43", "whois.verisign-grs.com:43", srv.URL + "/registry/domain/nova-parcels.com", srv.URL + "/registrar/domain/NOVA-PARCELS.COM"}
		if !reflect.DeepEqual(f.Servers, want) {
			t.Errorf("servers = %v, want %v", f.Servers, want)
		}
		if !strings.Contains(f.Raw, `"ldhName":"NOVA-PARCELS.COM"`) {
			t.Error("raw lacks the RDAP JSON")
		}
		if len(res.Pivots) != 3 {
			t.Errorf("pivots %v", res.Pivots)
		}
	}
	if *hits != 1 {
		t.Errorf("bootstrap fetched %d times; it should be cached", *hits)
	}
}

func TestModuleRDAPNotFound(t *testing.T) {
	srv, _ := rdapWorld(t, http.StatusNotFound)
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	// The registry's port 43 is down: connection refused.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	w.routes["whois.verisign-grs.com:43"] = dead.Addr().String()
	dead.Close()
	env := w.env(t)
	env.RDAPBootstrapURL = srv.URL + "/bootstrap/"
	res, f := runModule(t, env, context.Background(), "nova-parcels.com")
	if res.Status != recon.StatusOK || f == nil || f.Registered || f.Source != "rdap" {
		t.Fatalf("status %s err %q facts %+v", res.Status, res.Err, f)
	}
}

func TestModuleErrorsInWords(t *testing.T) {
	w := newWorld()
	w.serve(t, "whois.iana.org:43", fixed(ianaCom))
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	w.routes["whois.verisign-grs.com:43"] = dead.Addr().String()
	dead.Close()
	res, _ := runModule(t, w.env(t), context.Background(), "nova-parcels.com")
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "could not connect to WHOIS server whois.verisign-grs.com:43") || !strings.Contains(res.Err, "port 43") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
}
