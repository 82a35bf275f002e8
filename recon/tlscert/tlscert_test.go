package tlscert

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

type issued struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var serial int64

// issue makes a certificate signed by parent (self-signed when parent is nil).
func issue(t testing.TB, parent *issued, cn string, isCA bool, nb, na time.Time, sans ...string) *issued {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0xabc000 + serial),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"Test"}},
		NotBefore:             nb,
		NotAfter:              na,
		DNSNames:              sans,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
	}
	signer, signKey := tmpl, key
	if parent != nil {
		signer, signKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &issued{c, key}
}

func tlsCert(leaf *issued, chain ...*issued) tls.Certificate {
	tc := tls.Certificate{Certificate: [][]byte{leaf.cert.Raw}, PrivateKey: leaf.key, Leaf: leaf.cert}
	for _, c := range chain {
		tc.Certificate = append(tc.Certificate, c.cert.Raw)
	}
	return tc
}

// serveTLS starts a TLS listener on loopback presenting cert; it returns the
// address and a function giving the SNI names seen.
func serveTLS(t *testing.T, cert tls.Certificate) (string, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var snis []string
	cfg := &tls.Config{GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		mu.Lock()
		snis = append(snis, h.ServerName)
		mu.Unlock()
		return &cert, nil
	}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	recontest.Serve(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_ = c.(*tls.Conn).Handshake()
		buf := make([]byte, 1)
		_, _ = c.Read(buf) // until the client closes
	})
	return ln.Addr().String(), func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), snis...) }
}

// setup returns an env where name resolves to the given IPs and routes map
// "ip:443" to loopback listeners.
func setup(t *testing.T, name string, routes map[string]string, ips ...string) *recon.Env {
	t.Helper()
	var rrs []string
	for _, ip := range ips {
		typ := "A"
		if strings.Contains(ip, ":") {
			typ = "AAAA"
		}
		rrs = append(rrs, fmt.Sprintf("%s. 300 IN %s %s", name, typ, ip))
	}
	dnsAddr := recontest.StartDNS(t, recontest.NewZone(t, rrs...))
	env := recontest.Env(t, dnsAddr, routes)
	env.Now = func() time.Time { return now }
	return env
}

func run(t *testing.T, env *recon.Env, target recon.Target, timeout time.Duration) *recon.ModuleResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res := New().Run(ctx, recon.NewRun(env, target))
	if res == nil {
		t.Fatal("nil result")
	}
	return res
}

func sslFacts(t *testing.T, res *recon.ModuleResult) *recon.SSLFacts {
	t.Helper()
	f, ok := res.Facts.(*recon.SSLFacts)
	if !ok || f == nil {
		t.Fatalf("facts are %T (status %s, err %s)", res.Facts, res.Status, res.Err)
	}
	return f
}

func domain(d string) recon.Target { return recon.Target{Kind: recon.KindDomain, Value: d} }

func hasPivot(ps []recon.Pivot, p recon.Pivot) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

func TestHandshakeCases(t *testing.T) {
	nb, na := now.Add(-30*24*time.Hour), now.Add(60*24*time.Hour)
	ca := issue(t, nil, "Test Root CA", true, nb.Add(-365*24*time.Hour), na.Add(365*24*time.Hour))
	inter := issue(t, ca, "Test Intermediate", true, nb.Add(-24*time.Hour), na.Add(24*time.Hour))
	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)

	valid := issue(t, inter, "shop.example.com", false, nb, na, "shop.example.com", "*.example.com", "www.example.com", "*.cdn.other.net")
	expired := issue(t, inter, "shop.example.com", false, now.Add(-400*24*time.Hour), now.Add(-10*24*time.Hour), "shop.example.com")
	mismatch := issue(t, inter, "other.org", false, nb, na, "other.org", "www.other.org")
	self := recontest.NewCert(t, nb, na, "shop.example.com")

	tests := []struct {
		name                                  string
		cert                                  tls.Certificate
		roots                                 *x509.CertPool
		verified, selfSigned, exp, mismatched bool
		verifyErr                             string
	}{
		{"valid chain", tlsCert(valid, inter), roots, true, false, false, false, ""},
		{"self-signed", self, roots, false, true, false, false, "unknown authority"},
		{"expired", tlsCert(expired, inter), roots, false, false, true, false, "expired"},
		{"name mismatch", tlsCert(mismatch, inter), roots, false, false, false, true, "not valid for shop.example.com"},
		{"unknown authority", tlsCert(valid, inter), x509.NewCertPool(), false, false, false, false, "unknown authority"},
		{"missing intermediate", tlsCert(valid), roots, false, false, false, false, "unknown authority"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, snis := serveTLS(t, tc.cert)
			env := setup(t, "shop.example.com", map[string]string{"192.0.2.10:443": addr}, "192.0.2.10")
			env.RootCAs = tc.roots
			res := run(t, env, domain("shop.example.com"), 5*time.Second)
			if res.Status != recon.StatusOK {
				t.Fatalf("status %s: %s", res.Status, res.Err)
			}
			f := sslFacts(t, res)
			if len(f.Certs) != 1 {
				t.Fatalf("certs = %d", len(f.Certs))
			}
			c := f.Certs[0]
			if c.Verified != tc.verified || c.SelfSigned != tc.selfSigned || c.Expired != tc.exp || c.NameMismatch != tc.mismatched {
				t.Errorf("verified=%v self=%v expired=%v mismatch=%v (err %q)", c.Verified, c.SelfSigned, c.Expired, c.NameMismatch, c.VerifyError)
			}
			if !strings.Contains(c.VerifyError, tc.verifyErr) || (tc.verifyErr == "" && c.VerifyError != "") {
				t.Errorf("verify error = %q, want it to contain %q", c.VerifyError, tc.verifyErr)
			}
			if c.Address != "192.0.2.10:443" || c.ServerName != "shop.example.com" {
				t.Errorf("address %q server name %q", c.Address, c.ServerName)
			}
			leaf := tc.cert.Leaf
			if leaf == nil {
				leaf, _ = x509.ParseCertificate(tc.cert.Certificate[0])
			}
			sum := sha256.Sum256(leaf.Raw)
			if c.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("sha256 = %s", c.SHA256)
			}
			if !hasPivot(res.Pivots, recon.Pivot{Kind: recon.PivotCert, Value: c.SHA256, Relation: recon.RelCert}) ||
				!hasPivot(res.Pivots, recon.Pivot{Kind: recon.PivotPubkey, Value: c.PubkeySHA256, Relation: recon.RelPubkey}) {
				t.Errorf("cert/pubkey pivots missing: %v", res.Pivots)
			}
			if got := snis(); len(got) != 1 || got[0] != "shop.example.com" {
				t.Errorf("SNI seen = %q", got)
			}
			if tc.exp && c.DaysLeft != -10 {
				t.Errorf("days left = %d", c.DaysLeft)
			}
		})
	}
}

func TestWildcardSANPivots(t *testing.T) {
	ca := issue(t, nil, "CA", true, now.Add(-time.Hour), now.Add(time.Hour))
	leaf := issue(t, ca, "shop.example.com", false, now.Add(-time.Hour), now.Add(time.Hour),
		"shop.example.com", "*.example.com", "WWW.example.com", "*.cdn.other.net", "cdn.other.net", "user@mail.com")
	addr, _ := serveTLS(t, tlsCert(leaf))
	env := setup(t, "shop.example.com", map[string]string{"192.0.2.10:443": addr}, "192.0.2.10")
	res := run(t, env, domain("shop.example.com"), 5*time.Second)
	var got []string
	for _, p := range res.Pivots {
		if p.Kind == recon.PivotDomain {
			if p.Relation != recon.RelSAN {
				t.Errorf("relation %q", p.Relation)
			}
			got = append(got, p.Value)
		}
	}
	want := "example.com,www.example.com,cdn.other.net"
	if strings.Join(got, ",") != want {
		t.Errorf("SAN pivots = %v, want %s", got, want)
	}
}

func TestThousandsOfSANs(t *testing.T) {
	sans := []string{"big.example.com"}
	for i := 0; i < 1500; i++ {
		sans = append(sans, fmt.Sprintf("h%04d.example.net", i))
	}
	cert := recontest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), sans...)
	addr, _ := serveTLS(t, cert)
	for _, limit := range []int{0, 10000, 100} {
		env := setup(t, "big.example.com", map[string]string{"192.0.2.10:443": addr}, "192.0.2.10")
		env.Limits.MaxSANs = limit
		res := run(t, env, domain("big.example.com"), 5*time.Second)
		if res.Status != recon.StatusOK {
			t.Fatalf("status %s: %s", res.Status, res.Err)
		}
		c := sslFacts(t, res).Certs[0]
		wantKept := len(sans)
		if limit == 100 {
			wantKept = 100
		}
		if len(c.SANs) != wantKept || c.SANsTotal != len(sans) || c.SANsCut != (limit == 100) {
			t.Errorf("limit %d: kept %d total %d cut %v", limit, len(c.SANs), c.SANsTotal, c.SANsCut)
		}
		if n := len(res.Pivots); n != wantKept-1+2 {
			t.Errorf("limit %d: %d pivots", limit, n)
		}
	}
}

func TestStalledHandshake(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	recontest.Serve(t, ln, func(net.Conn) { <-stop }) // accept and never write
	t.Cleanup(func() { close(stop) })                 // runs before Serve's cleanup
	env := setup(t, "slow.example.com", map[string]string{"192.0.2.10:443": ln.Addr().String()}, "192.0.2.10")
	start := time.Now()
	res := run(t, env, domain("slow.example.com"), 300*time.Millisecond)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s, the handshake was not bounded by the context", d)
	}
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "did not finish in time") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
}

func TestNonPublicSkipped(t *testing.T) {
	cert := recontest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "mixed.example.com")
	addr, _ := serveTLS(t, cert)
	env := setup(t, "mixed.example.com", map[string]string{"192.0.2.10:443": addr}, "192.0.2.10", "10.1.2.3")
	routed := env.Dial
	env.Dial = func(ctx context.Context, network, a string) (net.Conn, error) {
		if strings.HasPrefix(a, "10.") {
			return nil, &recon.NonPublicError{Addr: a, Reason: "private"}
		}
		return routed(ctx, network, a)
	}
	res := run(t, env, domain("mixed.example.com"), 5*time.Second)
	f := sslFacts(t, res)
	if res.Status != recon.StatusOK || len(f.Certs) != 1 || len(f.Skipped) != 1 || !strings.Contains(f.Skipped[0], "10.1.2.3") {
		t.Errorf("status %s certs %d skipped %q", res.Status, len(f.Certs), f.Skipped)
	}

	// Only non-public addresses: skipped with the reasons, not an error.
	env2 := setup(t, "private.example.com", nil, "10.9.9.9")
	env2.Dial = env.Dial
	res2 := run(t, env2, domain("private.example.com"), 5*time.Second)
	f2 := sslFacts(t, res2)
	if res2.Status != recon.StatusSkipped || len(f2.Skipped) != 1 {
		t.Errorf("status %s skipped %q", res2.Status, f2.Skipped)
	}
}

func TestIPTargetNoSNI(t *testing.T) {
	cert := recontest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "site.example.com", "www.site.example.com")
	addr, snis := serveTLS(t, cert)
	env := setup(t, "unused.example.com", map[string]string{"192.0.2.10:443": addr})
	res := run(t, env, recon.Target{Kind: recon.KindIP, Value: "192.0.2.10"}, 5*time.Second)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	if got := snis(); len(got) != 1 || got[0] != "" {
		t.Errorf("SNI = %q, want none", got)
	}
	c := sslFacts(t, res).Certs[0]
	if !c.NameMismatch || c.ServerName != "192.0.2.10" {
		t.Errorf("mismatch=%v server name %q", c.NameMismatch, c.ServerName)
	}
	if !hasPivot(res.Pivots, recon.Pivot{Kind: recon.PivotDomain, Value: "site.example.com", Relation: recon.RelSAN}) {
		t.Errorf("pivots = %v", res.Pivots)
	}
}

func TestNoAddress(t *testing.T) {
	env := setup(t, "empty.example.com", nil)
	res := run(t, env, domain("none.example.com"), 5*time.Second)
	if res.Status == recon.StatusOK {
		t.Errorf("status ok without an address")
	}
}

func TestPassiveStrictFromCT(t *testing.T) {
	body, err := os.ReadFile(recontest.Corpus(t, "ct", "certspotter_v1_issuances_sslmate.com_expand_all.json"))
	if err != nil {
		t.Fatal(err)
	}
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("after") != "" {
			w.Write([]byte("[]"))
			return
		}
		query = r.URL.RawQuery
		w.Write(body)
	}))
	defer srv.Close()
	env := setup(t, "sslmate.com", nil, "192.0.2.10")
	env.CertspotterURL = srv.URL
	env.PassiveStrict = true
	env.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			t.Errorf("passive-strict dialled %s", addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	env.HTTP = recon.NewHTTPClient(env.Dial, nil, 5*time.Second, 5)
	res := run(t, env, domain("sslmate.com"), 5*time.Second)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	f := sslFacts(t, res)
	if !f.FromCT || len(f.Certs) != 1 {
		t.Fatalf("facts = %+v", f)
	}
	c := f.Certs[0]
	if c.SHA256 != "20cbc0d1e87ed1d71d3b84533667ef60f22fffee634108711376dec87a38d4e2" || len(c.SANs) != 5 || c.NameMismatch {
		t.Errorf("cert = %+v", c)
	}
	if !strings.Contains(query, "expand=cert_der") || strings.Contains(query, "include_subdomains") {
		t.Errorf("query = %s", query)
	}
	if !hasPivot(res.Pivots, recon.Pivot{Kind: recon.PivotDomain, Value: "www.sslmate.com", Relation: recon.RelSAN}) {
		t.Errorf("pivots = %v", res.Pivots)
	}
	if hasPivot(res.Pivots, recon.Pivot{Kind: recon.PivotDomain, Value: "sslmate.com", Relation: recon.RelSAN}) {
		t.Error("the target itself became a pivot")
	}

	// An IP target has nothing to look up in CT.
	if r := run(t, env, recon.Target{Kind: recon.KindIP, Value: "192.0.2.10"}, time.Second); r.Status != recon.StatusSkipped {
		t.Errorf("IP target in passive-strict: %s", r.Status)
	}
}

func readPEM(t *testing.T, path string) []*x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestCorpusCerts(t *testing.T) {
	tests := []struct {
		file     string
		sans     int
		shaStart string
		shaEnd   string
		subject  string
	}{
		{"google.com_wildcard_multisan_gts-ca-1c3_chain.pem", 134, "", "", "CN=*.google.com"},
		{"www.example.org_digicert_8san_2024.pem", 8, "efba26d8", "a362", "\u00a0"},
		{"sslmate.com_sectigo_5san_2022.from-certspotter-cert_der.pem", 5, "20cbc0d1", "d4e2", "sslmate.com"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			chain := readPEM(t, recontest.Corpus(t, "certs", tc.file))
			at := chain[0].NotBefore.Add(24 * time.Hour)
			f := FactsFromCert(chain[0], at, 0)
			if len(f.SANs) != tc.sans || f.SANsTotal != tc.sans || f.SANsCut {
				t.Errorf("SANs = %d (total %d)", len(f.SANs), f.SANsTotal)
			}
			if !strings.HasPrefix(f.SHA256, tc.shaStart) || !strings.HasSuffix(f.SHA256, tc.shaEnd) {
				t.Errorf("sha256 = %s", f.SHA256)
			}
			if !strings.Contains(f.Subject, tc.subject) {
				t.Errorf("subject = %q", f.Subject)
			}
			if f.SelfSigned || f.Expired || len(f.PubkeySHA256) != 64 || f.Serial == "" || !strings.HasPrefix(f.PEM, "-----BEGIN CERTIFICATE-----") {
				t.Errorf("facts = %+v", f)
			}
			if len(chain) > 1 {
				// The chain verifies up to its own root at a time inside validity.
				roots := x509.NewCertPool()
				roots.AddCert(chain[len(chain)-1])
				Verify(&f, chain[0], chain[1:], roots, "www.google.com", at)
				if !f.Verified || f.NameMismatch {
					t.Errorf("google chain: verified=%v err=%q", f.Verified, f.VerifyError)
				}
				pivots := Pivots([]recon.CertFacts{f}, "google.com")
				if len(pivots) < 50 {
					t.Errorf("only %d pivots", len(pivots))
				}
			}
		})
	}
}
