package lab

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
	rootKey *ecdsa.PrivateKey
	pool    *x509.CertPool
	inter   map[string]*issuerCA
	certs   map[string]*tls.Certificate // world certificate id -> chain
	order   []string                    // certificate ids in world order
}

type issuerCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
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
	p := &pki{inter: map[string]*issuerCA{}, certs: map[string]*tls.Certificate{}, pool: x509.NewCertPool()}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "NetSpecter Lab Root CA", Organization: []string{"NetSpecter Lab"}},
		NotBefore:             c.now.AddDate(-30, 0, 0),
		NotAfter:              c.now.AddDate(30, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
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
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               dnName(name),
		NotBefore:             c.now.AddDate(-25, 0, 0),
		NotAfter:              c.now.AddDate(25, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.root, &key.PublicKey, p.rootKey)
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
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	cn := wc.CN
	if cn == "" && len(wc.SANs) > 0 {
		cn = wc.SANs[0]
	}
	notBefore, notAfter := c.validity(wc.NotBefore, wc.NotAfter, wc.Expired)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer.(*ecdsa.PrivateKey))
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
