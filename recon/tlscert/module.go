package tlscert

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/ctlog"
)

// MaxAddrs is how many of the target's addresses get a handshake.
const MaxAddrs = 4

// HandshakeTimeout bounds one handshake (the module's context may end it sooner).
const HandshakeTimeout = 10 * time.Second

// New returns the ssl module.
func New() recon.Module { return module{} }

type module struct{}

func (module) ID() string         { return recon.ModuleSSL }
func (module) Touch() recon.Touch { return recon.MustInfo(recon.ModuleSSL).Touch }

// PassiveFallback is true: under --passive-strict the certificate comes
// from Certificate Transparency (see recon.PassiveFallback).
func (module) PassiveFallback() bool     { return true }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleSSL).Applies(k) }

// Run connects to each address (or, passive-strict, reads CT) and returns
// the certificate facts and pivots.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	name := serverName(run.Target)
	if env.PassiveStrict {
		if run.Target.Kind == recon.KindIP {
			return recon.Skipped("passive-strict: an IP target has no name to look up in Certificate Transparency, and connecting to it is not allowed")
		}
		return fromCT(ctx, env, name)
	}
	addrs, err := run.Addrs(ctx)
	addrs = dedupe(addrs)
	facts := &recon.SSLFacts{Certs: []recon.CertFacts{}}
	if len(addrs) == 0 {
		if err != nil {
			return recon.Failed(fmt.Errorf("no address to connect to: %w", err), facts)
		}
		return &recon.ModuleResult{Status: recon.StatusSkipped, Err: "the name has no A or AAAA record: nothing to connect to", Facts: facts}
	}
	if len(addrs) > MaxAddrs {
		for _, a := range addrs[MaxAddrs:] {
			facts.Skipped = append(facts.Skipped, fmt.Sprintf("%s: not contacted (only the first %d addresses are)", a, MaxAddrs))
		}
		addrs = addrs[:MaxAddrs]
	}
	type outcome struct {
		cert *recon.CertFacts
		icpt string // the private root the chain ends in, when a proxy intercepted
		err  error
	}
	outs := make([]outcome, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, icpt, err := probeIntercept(ctx, env, netip.AddrPortFrom(a, 443).String(), name)
			outs[i] = outcome{c, icpt, err}
		}()
	}
	wg.Wait()
	var errs []error
	var icpt *recon.Interception
	for i, o := range outs {
		switch {
		case o.err == nil && o.icpt != "":
			if icpt == nil {
				icpt = &recon.Interception{Issuer: o.icpt, Why: "the chain ends in " + o.icpt + ", a root that is not a public one"}
			}
			icpt.Certs = append(icpt.Certs, *o.cert)
		case o.err == nil:
			facts.Certs = append(facts.Certs, *o.cert)
		case errors.Is(o.err, recon.ErrNonPublic):
			facts.Skipped = append(facts.Skipped, fmt.Sprintf("%s: %v", addrs[i], o.err))
		default:
			errs = append(errs, o.err)
		}
	}
	if icpt == nil {
		icpt = disagreesWithCT(ctx, env, name, facts.Certs)
		if icpt != nil {
			facts.Certs = []recon.CertFacts{}
		}
	}
	if icpt != nil {
		return intercepted(ctx, env, name, icpt, facts)
	}
	if len(facts.Certs) == 0 {
		if len(errs) == 0 {
			return &recon.ModuleResult{Status: recon.StatusSkipped, Err: "every address is non-public: not connected (see skipped)", Facts: facts}
		}
		return recon.Failed(errors.Join(errs...), facts)
	}
	return recon.OK(facts, Pivots(facts.Certs, name)...)
}

// Probe does one TLS handshake to addr ("ip:443") through env.Dial with SNI
// name (none when name is an IP address), under a deadline, and returns the
// leaf's facts, verified against env.RootCAs at env.Clock().
func Probe(ctx context.Context, env *recon.Env, addr, name string) (*recon.CertFacts, error) {
	f, _, err := probeIntercept(ctx, env, addr, name)
	return f, err
}

// probeIntercept is Probe that also returns, when the chain verifies
// against env.RootCAs but not against env.PublicRoots, the subject of the
// private root it ends in: a TLS-inspecting proxy answered.
func probeIntercept(ctx context.Context, env *recon.Env, addr, name string) (*recon.CertFacts, string, error) {
	f, icpt, err := probe(ctx, env, addr, name)
	env.Sources.Done("tls (target)", err, false)
	return f, icpt, err
}

func probe(ctx context.Context, env *recon.Env, addr, name string) (*recon.CertFacts, string, error) {
	if env.Dial == nil {
		return nil, "", errors.New("ssl: no dialer configured")
	}
	hctx, cancel := context.WithTimeout(ctx, HandshakeTimeout)
	defer cancel()
	raw, err := env.Dial(hctx, "tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", addr, err)
	}
	defer raw.Close()
	if dl, ok := hctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	sni := name
	if _, err := netip.ParseAddr(name); err == nil {
		sni = ""
	}
	conn := tls.Client(raw, &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, // read the leaf even when it does not verify; Verify checks it below
		MinVersion:         tls.VersionTLS10,
	})
	if err := conn.HandshakeContext(hctx); err != nil {
		var ne net.Error
		if hctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
			// The conn deadline (set from hctx) can fire a moment before
			// the context reports it: both mean the same thing.
			return nil, "", fmt.Errorf("%s: TLS handshake did not finish in time: %w", addr, context.DeadlineExceeded)
		}
		return nil, "", fmt.Errorf("%s: TLS handshake: %w", addr, err)
	}
	chain := conn.ConnectionState().PeerCertificates
	_ = conn.Close()
	if len(chain) == 0 {
		return nil, "", fmt.Errorf("%s: the server sent no certificate", addr)
	}
	now := env.Clock()
	f := FactsFromCert(chain[0], now, env.Limits.MaxSANs)
	f.Address = addr
	f.ServerName = name
	Verify(&f, chain[0], chain[1:], env.RootCAs, name, now)
	return &f, privateRoot(chain[0], chain[1:], env.RootCAs, env.PublicRoots), nil
}

// privateRoot returns the subject of the root leaf's chain ends in when the
// chain verifies against roots (the machine's trust) but not against
// public (the public web PKI): a TLS-inspecting proxy's root. "" otherwise,
// or when public is nil. Dates and names are not checked here.
func privateRoot(leaf *x509.Certificate, intermediates []*x509.Certificate, roots, public *x509.CertPool) string {
	if public == nil {
		return ""
	}
	key := rootKey{roots: roots, public: public, chain: chainHash(leaf, intermediates)}
	if r, ok := privateRoots.get(key); ok {
		return r
	}
	r := privateRootOf(leaf, intermediates, roots, public)
	privateRoots.put(key, r)
	return r
}

// rootKey names one privateRoot question: the chain presented (by hash)
// and the two pools (by identity: an Env's pools do not change).
type rootKey struct {
	roots, public *x509.CertPool
	chain         [sha256.Size]byte
}

// rootCache remembers privateRoot's answers. The answer depends only on
// the chain and the pools (the time checked is the middle of the leaf's
// validity), and the domains of a fan-out along SANs present the same
// certificate: bench300's 300 domains share one, so 299 of 300 chain
// verifications against two pools (4 signature checks each scan) were
// repeats. Bounded: emptied when it holds maxRoots answers.
type rootCache struct {
	mu sync.Mutex
	m  map[rootKey]string
}

const maxRoots = 1024

var privateRoots rootCache

func (c *rootCache) get(k rootKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *rootCache) put(k rootKey, r string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxRoots {
		c.m = make(map[rootKey]string)
	}
	c.m[k] = r
}

// chainHash is a SHA-256 over the certificates' DER, each prefixed by its
// length.
func chainHash(leaf *x509.Certificate, intermediates []*x509.Certificate) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	for _, c := range append([]*x509.Certificate{leaf}, intermediates...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(c.Raw)))
		h.Write(n[:])
		h.Write(c.Raw)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// privateRootOf is privateRoot without the cache.
func privateRootOf(leaf *x509.Certificate, intermediates []*x509.Certificate, roots, public *x509.CertPool) string {
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	mid := leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: pool, CurrentTime: mid})
	if err != nil || len(chains) == 0 {
		return ""
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: public, Intermediates: pool, CurrentTime: mid}); err == nil {
		return ""
	}
	c := chains[0]
	return c[len(c)-1].Subject.String()
}

// disagreesWithCT recognises a TLS-inspecting proxy whose root this
// machine does not trust: every certificate presented for name is signed
// by an unknown authority (not self-signed), and Certificate Transparency
// lists certificates for name that are still valid, none of which is the
// presented one, its key, or from its issuer. nil otherwise (and when CT
// cannot be asked).
func disagreesWithCT(ctx context.Context, env *recon.Env, name string, certs []recon.CertFacts) *recon.Interception {
	if len(certs) == 0 {
		return nil
	}
	if _, err := netip.ParseAddr(name); err == nil || name == "" {
		return nil
	}
	for _, c := range certs {
		if c.Verified || c.SelfSigned || !strings.Contains(c.VerifyError, "unknown authority") {
			return nil
		}
	}
	cl := &ctlog.Client{Env: env}
	iss, _, err := cl.Certspotter(ctx, ctlog.Query{Domain: name, Expand: []string{"dns_names", "issuer"}})
	if err != nil || len(iss) == 0 {
		return nil
	}
	now := env.Clock()
	var ctIssuers []string
	valid := 0
	for _, is := range iss {
		if is.NotAfter.After(now) {
			valid++
		}
		for _, c := range certs {
			if strings.EqualFold(is.CertSHA256, c.SHA256) || strings.EqualFold(is.PubkeySHA256, c.PubkeySHA256) {
				return nil
			}
		}
		ctIssuers = append(ctIssuers, commonName(is.Issuer))
	}
	presented := commonName(certs[0].Issuer)
	for _, cn := range ctIssuers {
		if cn != "" && strings.EqualFold(cn, presented) {
			return nil
		}
	}
	if valid == 0 {
		return nil
	}
	return &recon.Interception{Issuer: certs[0].Issuer, Certs: certs,
		Why: fmt.Sprintf("the certificate presented for %s, from %s (an authority this machine does not trust), disagrees with Certificate Transparency, which lists %d other certificate(s) for the name",
			name, certs[0].Issuer, len(iss))}
}

// commonName returns the CN of a distinguished name in either order
// ("CN=R11,O=Let's Encrypt,C=US" or "C=US, O=Let's Encrypt, CN=R11").
func commonName(dn string) string {
	for _, part := range strings.Split(dn, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(strings.TrimSpace(k), "CN") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// intercepted is the result when a proxy answered instead of the site: the
// site's certificate comes from Certificate Transparency, the proxy's are
// kept as evidence, and the report says so.
func intercepted(ctx context.Context, env *recon.Env, name string, icpt *recon.Interception, tried *recon.SSLFacts) *recon.ModuleResult {
	if _, err := netip.ParseAddr(name); err == nil {
		tried.Certs = []recon.CertFacts{}
		tried.Intercepted = icpt
		return recon.Failed(errors.New(icpt.Text()+"; an IP address has no name to look up in Certificate Transparency"), tried)
	}
	res := fromCTWhy(ctx, env, name, "TLS intercepted by a proxy on your network: certificate taken from Certificate Transparency")
	f, _ := res.Facts.(*recon.SSLFacts)
	if f == nil {
		f = &recon.SSLFacts{Certs: []recon.CertFacts{}}
		res.Facts = f
	}
	f.Intercepted = icpt
	f.Skipped = append(f.Skipped, tried.Skipped...)
	if res.Status == recon.StatusOK && len(f.Certs) == 0 {
		return recon.Failed(errors.New(icpt.Text()+"; Certificate Transparency has no certificate for "+name), f)
	}
	if res.Status != recon.StatusOK {
		res.Err = icpt.Text() + "; " + res.Err
	}
	return res
}

// fromCT reads the newest certificate of name from Cert Spotter.
func fromCT(ctx context.Context, env *recon.Env, name string) *recon.ModuleResult {
	return fromCTWhy(ctx, env, name, "passive-strict: no connection to the target; certificate taken from Certificate Transparency")
}

func fromCTWhy(ctx context.Context, env *recon.Env, name, why string) *recon.ModuleResult {
	facts := &recon.SSLFacts{Certs: []recon.CertFacts{}, FromCT: true, Skipped: []string{why}}
	c := &ctlog.Client{Env: env}
	iss, _, err := c.Certspotter(ctx, ctlog.Query{Domain: name, Expand: []string{"dns_names", "issuer", "cert_der"}})
	if err != nil && len(iss) == 0 {
		if errors.Is(err, ctlog.ErrRateLimited) {
			return recon.RateLimited(err.Error(), facts)
		}
		return recon.Failed(fmt.Errorf("Certificate Transparency: %w", err), facts)
	}
	if len(iss) == 0 {
		return recon.OK(facts)
	}
	newest := iss[0]
	for _, is := range iss[1:] {
		if is.NotBefore.After(newest.NotBefore) {
			newest = is
		}
	}
	f := CTFacts(newest, name, env.Clock(), env.Limits.MaxSANs)
	facts.Certs = append(facts.Certs, f)
	return recon.OK(facts, Pivots(facts.Certs, name)...)
}

// CTFacts turns a CT issuance into certificate facts: from the certificate
// itself when CT returned it, from the listed fields otherwise. The chain is
// not verified (CT gives no intermediates); Expired and NameMismatch are set.
func CTFacts(is ctlog.Issuance, name string, now time.Time, maxSANs int) recon.CertFacts {
	if len(is.CertDER) > 0 {
		if leaf, err := x509.ParseCertificate(is.CertDER); err == nil {
			f := FactsFromCert(leaf, now, maxSANs)
			f.Address = "ct:certspotter"
			f.ServerName = name
			f.NameMismatch = name != "" && leaf.VerifyHostname(name) != nil
			return f
		}
	}
	f := recon.CertFacts{
		Address:      "ct:certspotter",
		ServerName:   name,
		Issuer:       is.Issuer,
		Serial:       is.Serial,
		NotBefore:    is.NotBefore,
		NotAfter:     is.NotAfter,
		DaysLeft:     int(is.NotAfter.Sub(now).Hours() / 24),
		Expired:      !is.NotAfter.IsZero() && now.After(is.NotAfter),
		SHA256:       is.CertSHA256,
		PubkeySHA256: is.PubkeySHA256,
		SANsTotal:    len(is.DNSNames),
		SANs:         []string{},
	}
	sans := is.DNSNames
	if maxSANs > 0 && len(sans) > maxSANs {
		sans, f.SANsCut = sans[:maxSANs], true
	}
	f.SANs = append(f.SANs, sans...)
	if name != "" {
		f.NameMismatch = true
		for _, s := range is.DNSNames {
			if matchName(strings.ToLower(s), name) {
				f.NameMismatch = false
				break
			}
		}
	}
	return f
}

// matchName reports whether pattern (a SAN, maybe a wildcard) covers host.
func matchName(pattern, host string) bool {
	if pattern == host {
		return true
	}
	if strings.HasPrefix(pattern, "*.") {
		i := strings.IndexByte(host, '.')
		return i > 0 && host[i+1:] == pattern[2:]
	}
	return false
}

// Pivots returns the pivots of a set of certificates: each SAN as a domain
// (wildcards folded to their base, the target itself left out), and each
// certificate and public key fingerprint.
func Pivots(certs []recon.CertFacts, target string) []recon.Pivot {
	target = strings.ToLower(strings.TrimSuffix(target, "."))
	var out []recon.Pivot
	seen := map[string]bool{}
	for _, c := range certs {
		for _, s := range c.SANs {
			n, ok := ctlog.Normalise(s)
			if !ok || n == target || seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, recon.Pivot{Kind: recon.PivotDomain, Value: n, Relation: recon.RelSAN})
		}
	}
	for _, c := range certs {
		if c.SHA256 != "" {
			out = append(out, recon.Pivot{Kind: recon.PivotCert, Value: c.SHA256, Relation: recon.RelCert})
		}
		if c.PubkeySHA256 != "" {
			out = append(out, recon.Pivot{Kind: recon.PivotPubkey, Value: c.PubkeySHA256, Relation: recon.RelPubkey})
		}
	}
	return out
}

func serverName(t recon.Target) string {
	if t.Kind == recon.KindIP {
		return t.Value
	}
	return strings.ToLower(strings.TrimSuffix(t.Domain(), "."))
}

func dedupe(in []netip.Addr) []netip.Addr {
	seen := map[netip.Addr]bool{}
	var out []netip.Addr
	for _, a := range in {
		a = a.Unmap()
		if !a.IsValid() || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Is4() && !out[j].Is4() })
	return out
}
