package lab

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// pki is the lab CA, its intermediates (one per world issuer name) and the
// world's certificates.
type pki struct {
	root    *x509.Certificate
	pool    *x509.CertPool
	inter   map[string]*issuerCA
	certs   map[string]*tls.Certificate // world certificate id -> chain
	order   []string                    // certificate ids in world order
	world   string                      // the world's name: part of every key's seed
	rootKey ed25519.PrivateKey
}

type issuerCA struct {
	cert *x509.Certificate
	key  ed25519.PrivateKey
}

// Deterministic certificates: the same world gives the same keys, serials
// and (on the same lab day) fingerprints at every start, so a reopened
// session keeps its certificate links after a rescan. Every key is an
// Ed25519 key whose seed is a SHA-256 of the world's name and the key's
// name; Ed25519 signatures need no randomness; serials are hashes too;
// validity dates are whole days. The keys are derived from public data:
// never trust the lab CA outside the lab.

// seed hashes the world's name and parts into 32 bytes.
func (p *pki) seed(parts ...string) []byte {
	h := sha256.New()
	h.Write([]byte("netspecter-lab\x00" + p.world))
	for _, x := range parts {
		h.Write([]byte{0})
		h.Write([]byte(x))
	}
	return h.Sum(nil)
}

// key derives the Ed25519 key named name.
func (p *pki) key(name string) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(p.seed("key", name))
}

// serial derives a positive 127-bit serial number for name.
func (p *pki) serial(name string) *big.Int {
	b := p.seed("serial", name)[:16]
	b[0] &= 0x7f
	b[0] |= 0x01 // never zero, never a leading zero byte
	return new(big.Int).SetBytes(b)
}

// serial returns a random serial number, for certificates that need not be
// deterministic (the interception proxy's, minted per run).
func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

// day truncates t to midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dnName(s string) pkix.Name {
	attrs, _ := parseDN(s)
	var n pkix.Name
	for _, a := range attrs {
		switch a[0] {
		case "C":
			n.Country = append(n.Country, a[1])
		case "ST":
			n.Province = append(n.Province, a[1])
		case "L":
			n.Locality = append(n.Locality, a[1])
		case "O":
			n.Organization = append(n.Organization, a[1])
		case "OU":
			n.OrganizationalUnit = append(n.OrganizationalUnit, a[1])
		case "CN":
			n.CommonName = a[1]
		}
	}
	return n
}

func newPKI(c *compiled) (*pki, error) {
	p := &pki{inter: map[string]*issuerCA{}, certs: map[string]*tls.Certificate{}, pool: x509.NewCertPool(), world: c.w.Name}
	key := p.key("root CA")
	tmpl := &x509.Certificate{
		SerialNumber:          p.serial("root CA"),
		Subject:               pkix.Name{CommonName: "NetSpecter Lab Root CA", Organization: []string{"NetSpecter Lab"}},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("lab: make root CA: %w", err)
	}
	p.root, _ = x509.ParseCertificate(der)
	p.rootKey = key
	p.pool.AddCert(p.root)
	for _, wc := range c.w.Certificates {
		chain, err := p.issue(c, wc)
		if err != nil {
			return nil, fmt.Errorf("lab: certificate %q: %w", wc.ID, err)
		}
		p.certs[wc.ID] = chain
		p.order = append(p.order, wc.ID)
	}
	return p, nil
}

func (p *pki) intermediate(c *compiled, name string) (*issuerCA, error) {
	if ca := p.inter[name]; ca != nil {
		return ca, nil
	}
	key := p.key("intermediate\x00" + name)
	tmpl := &x509.Certificate{
		SerialNumber:          p.serial("intermediate\x00" + name),
		Subject:               dnName(name),
		NotBefore:             time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2098, 12, 31, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(nil, tmpl, p.root, key.Public(), p.rootKey)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	ca := &issuerCA{cert: cert, key: key}
	p.inter[name] = ca
	return ca, nil
}

// validity resolves a certificate's dates.
func (c *compiled) validity(nb, na Date, expired bool) (time.Time, time.Time) {
	notBefore, notAfter := nb.At(c.now), na.At(c.now)
	if notBefore.IsZero() {
		if expired {
			notBefore = c.now.AddDate(0, 0, -91)
		} else {
			notBefore = c.now.AddDate(0, 0, -10)
		}
	}
	if notAfter.IsZero() {
		notAfter = notBefore.AddDate(0, 0, 90)
		if expired && notAfter.After(c.now) {
			notAfter = c.now.AddDate(0, 0, -1)
		}
	}
	return notBefore, notAfter
}

func (p *pki) issue(c *compiled, wc *Certificate) (*tls.Certificate, error) {
	key := p.key("leaf\x00" + orDefault(wc.Key, "cert\x00"+wc.ID))
	cn := wc.CN
	if cn == "" && len(wc.SANs) > 0 {
		cn = wc.SANs[0]
	}
	notBefore, notAfter := c.validity(wc.NotBefore, wc.NotAfter, wc.Expired)
	notBefore, notAfter = day(notBefore), day(notAfter)
	tmpl := &x509.Certificate{
		SerialNumber:          p.serial("leaf\x00" + wc.ID),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	for _, s := range wc.SANs {
		if a, err := netip.ParseAddr(s); err == nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, net.IP(a.AsSlice()))
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, s)
		}
	}
	if wc.ManySANs > 0 {
		base := cn
		if len(tmpl.DNSNames) > 0 {
			base = strings.TrimPrefix(tmpl.DNSNames[0], "*.")
		}
		for i := range wc.ManySANs {
			tmpl.DNSNames = append(tmpl.DNSNames, fmt.Sprintf("s%05d.%s", i, base))
		}
	}
	parent, signer := tmpl, any(key)
	var chain [][]byte
	if !wc.SelfSigned {
		ca, err := p.intermediate(c, orDefault(wc.Issuer, defaultIssuer))
		if err != nil {
			return nil, err
		}
		parent, signer = ca.cert, ca.key
		chain = append(chain, ca.cert.Raw)
	} else if wc.Issuer != "" {
		tmpl.Subject = dnName(wc.Issuer) // a self-signed certificate names itself
		tmpl.Subject.CommonName = cn
	}
	der, err := x509.CreateCertificate(nil, tmpl, parent, key.Public(), signer.(ed25519.PrivateKey))
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: append([][]byte{der}, chain...), PrivateKey: key, Leaf: leaf}, nil
}

// CACertPEM returns the lab root CA certificate in PEM (to trust the lab
// from other tools).
func (l *Lab) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.pki.root.Raw})
}

// Certificate returns the generated chain of the world certificate id.
func (l *Lab) Certificate(id string) (*tls.Certificate, bool) {
	c, ok := l.pki.certs[id]
	return c, ok
}

// matchSAN reports whether name is covered by san (with one-label wildcards).
func matchSAN(san, name string) bool {
	san = strings.ToLower(san)
	if san == name {
		return true
	}
	if rest, ok := strings.CutPrefix(san, "*."); ok {
		i := strings.IndexByte(name, '.')
		return i > 0 && name[i+1:] == rest
	}
	return false
}

// certFor picks the certificate for an SNI name, or for the listener's
// world IP when there is no SNI or no match.
func (l *Lab) certFor(sni string, ip netip.Addr) *tls.Certificate {
	sni = strings.ToLower(strings.TrimSuffix(sni, "."))
	if d := l.c.domains[sni]; d != nil && d.Cert != "" {
		return l.pki.certs[d.Cert]
	}
	if sni != "" {
		for _, id := range l.pki.order {
			for _, san := range l.c.certs[id].SANs {
				if matchSAN(san, sni) {
					return l.pki.certs[id]
				}
			}
		}
	}
	// The certificate the IP presents without SNI, when the world says.
	if x := l.c.ips[ip]; x != nil && x.Cert != "" {
		return l.pki.certs[x.Cert]
	}
	// Default certificate of the IP: the first domain (by name) on it with one.
	names := make([]string, 0, len(l.c.domains))
	for n := range l.c.domains {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := l.c.domains[n]
		if d.Cert == "" {
			continue
		}
		for _, a := range l.c.resolveA(n) {
			if a == ip {
				return l.pki.certs[d.Cert]
			}
		}
	}
	return nil
}

var errNoCert = errors.New("lab: no certificate for this name")

// startSites opens a TLS (443) and an HTTP (80) listener per world IP.
func (l *Lab) startSites() error {
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
		// The lab's sites agree on X25519 alone: the hybrid
		// X25519MLKEM768 exchange (Go's first choice) costs the server an
		// ML-KEM encapsulation and the client a decapsulation in every
		// handshake, ~4 % of a bench300 fan-out's CPU for nothing the lab
		// tests. Clients are unchanged (they offer both shares, as against
		// real sites; no extra round trip).
		CurvePreferences: []tls.CurveID{tls.X25519},
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			if !l.delay(hello.Context()) {
				return nil, errors.New("lab: closing")
			}
			var ip netip.Addr
			if hello.Conn != nil {
				ip = l.siteIP[hello.Conn.LocalAddr().String()]
			}
			if l.stalls(hello.ServerName, ip) {
				return nil, l.stall(hello)
			}
			return nil, nil
		},
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			var ip netip.Addr
			if hello.Conn != nil {
				ip = l.siteIP[hello.Conn.LocalAddr().String()]
			}
			if l.intercept != nil {
				return l.interceptedCert(hello, ip)
			}
			if c := l.certFor(hello.ServerName, ip); c != nil {
				return c, nil
			}
			return nil, errNoCert
		},
	}
	srv := &http.Server{Handler: http.HandlerFunc(l.serveSite), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog}
	l.servers = append(l.servers, srv)
	for _, a := range l.c.worldAddrs() {
		tl, err := l.listen()
		if err != nil {
			return err
		}
		hl, err := l.listen()
		if err != nil {
			return err
		}
		l.tlsByIP[a], l.httpByIP[a] = tl.Addr().String(), hl.Addr().String()
		l.siteIP[tl.Addr().String()], l.siteIP[hl.Addr().String()] = a, a
		for _, ln := range []net.Listener{tls.NewListener(tl, cfg), hl} {
			l.wg.Add(1)
			go func() { defer l.wg.Done(); _ = srv.Serve(ln) }()
		}
	}
	return nil
}

// serveSite answers as the world's web server for the request's Host.
func (l *Lab) serveSite(w http.ResponseWriter, r *http.Request) {
	if !l.delay(r.Context()) {
		return
	}
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	apex := l.c.apexOf(host + ".")
	d := l.c.domains[apex]
	if d == nil {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprint(w, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>\n")
		return
	}
	if d.HeaderBomb > 0 {
		addHeaderBomb(w.Header(), d.HeaderBomb)
	}
	if d.RedirectLoop {
		redirectLoop(w, r, host)
		return
	}
	resp := d.Pages[host+r.URL.Path]
	if resp == nil {
		resp = d.Pages[host]
	}
	if resp == nil && r.TLS != nil {
		resp = d.HTTPS
	}
	if resp == nil && r.TLS == nil {
		resp = d.HTTP
		if resp == nil {
			resp = &HTTPResponse{Status: http.StatusMovedPermanently, Redirect: "https://" + host + r.URL.RequestURI()}
			if d.HTTPS != nil {
				for k, v := range d.HTTPS.Headers {
					if strings.EqualFold(k, "server") {
						resp.Headers = map[string]string{k: v}
					}
				}
			}
		}
	}
	if resp == nil {
		resp = &HTTPResponse{Headers: map[string]string{"Content-Type": "text/html"}, Body: "<html><body>" + host + "</body></html>\n"}
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	status := resp.Status
	if resp.Redirect != "" {
		w.Header().Set("Location", resp.Redirect)
		if status < 300 || status > 399 {
			status = http.StatusMovedPermanently
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = fmt.Fprint(w, resp.Body)
	}
}
