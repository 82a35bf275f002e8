package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
)

// Options configure a lab.
type Options struct {
	// Latency delays every upstream answer (DNS, WHOIS, HTTP APIs, TLS
	// handshake and HTTP) by this much, to make the lab feel like a network.
	Latency time.Duration
	// Now is the lab's clock: relative world dates resolve against it and
	// Env.Now returns it. Zero means time.Now() (and a running clock).
	Now time.Time
	// CTPageSize is the Certspotter page size (default 100).
	CTPageSize int
	// Faults inject drops, SERVFAILs and jitter (see ParseFaults).
	Faults Faults
}

// ErrNotInLab is wrapped by the lab dialer's refusals.
var ErrNotInLab = errors.New("lab: not a lab address")

// Lab is a running set of loopback servers answering from one World.
type Lab struct {
	w    *World
	c    *compiled
	opts Options

	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup

	dnsAddr     string
	authDNSAddr string // the blocklist zones' own name server (SpamhausNSAddr:53)
	dnsServers  []*dns.Server
	listeners   []net.Listener
	servers     []*http.Server

	own      map[netip.AddrPort]bool // every lab listener (TCP and the DNS UDP socket): the only loopback addresses Dial reaches
	whois    map[string]string       // WHOIS server name -> 127.0.0.1:port
	tlsByIP  map[netip.Addr]string
	httpByIP map[netip.Addr]string
	siteIP   map[string]netip.Addr // site listener address -> world IP

	certspotterURL, crtshURL, internetDBURL, rdapURL, keyedURL string

	dice       *dice // nil without faults
	statsMu    sync.Mutex
	faultStats FaultStats
	limits     *apiLimits

	pki       *pki
	intercept *interceptor // tls=intercept: the inspecting proxy's CA
	issued    []*issuance  // CT issuances, sorted by id
	geo       *recon.GeoDB
	geoDir    string
}

// Start starts every lab server for w on 127.0.0.1. Close stops them.
func Start(ctx context.Context, w *World, opts Options) (_ *Lab, err error) {
	if w == nil {
		return nil, errors.New("lab: no world (use lab.Demo() or lab.LoadWorldFile)")
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if opts.CTPageSize <= 0 {
		opts.CTPageSize = 100
	}
	c, err := compile(w, now)
	if err != nil {
		return nil, err
	}
	l := &Lab{w: w, c: c, opts: opts, done: make(chan struct{}),
		own: map[netip.AddrPort]bool{}, whois: map[string]string{}, tlsByIP: map[netip.Addr]string{}, httpByIP: map[netip.Addr]string{}, siteIP: map[string]netip.Addr{},
		limits: newAPILimits(w.RateLimits)}
	if opts.Faults.Active() {
		l.dice = newDice(opts.Faults)
	}
	// GeoIP files are written concurrently with the rest of start-up.
	geoErr := make(chan error, 1)
	geoWaited := false
	go func() { geoErr <- l.startGeoIP() }()
	defer func() {
		if err != nil {
			if !geoWaited {
				<-geoErr
			}
			_ = l.Close()
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if err := l.startDNS(); err != nil {
		return nil, err
	}
	if err := l.startAuthDNS(); err != nil {
		return nil, err
	}
	if err := l.startWhois(); err != nil {
		return nil, err
	}
	if l.pki, err = newPKI(c); err != nil {
		return nil, err
	}
	if opts.Faults.TLSIntercept {
		if l.intercept, err = newInterceptor(c); err != nil {
			return nil, err
		}
	}

	l.issued = l.buildIssuances()
	if err := l.startSites(); err != nil {
		return nil, err
	}
	if err := l.startAPIs(); err != nil {
		return nil, err
	}
	geoWaited = true
	if err := <-geoErr; err != nil {
		return nil, err
	}
	return l, nil
}

// World returns the world the lab serves.
func (l *Lab) World() *World { return l.w }

// Close stops every server, waits for their goroutines and removes the
// GeoIP files. It is safe to call more than once.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		close(l.done)
		var errs []error
		for _, s := range l.dnsServers {
			if err := s.Shutdown(); err != nil {
				errs = append(errs, err)
			}
		}
		for _, s := range l.servers {
			_ = s.Close()
		}
		for _, ln := range l.listeners {
			_ = ln.Close()
		}
		l.wg.Wait()
		if l.geo != nil {
			if l.geo.City != nil {
				_ = l.geo.City.Close()
			}
			if l.geo.ASN != nil {
				_ = l.geo.ASN.Close()
			}
		}
		if l.geoDir != "" {
			_ = os.RemoveAll(l.geoDir)
		}
		l.closeErr = errors.Join(errs...)
	})
	return l.closeErr
}

// Env returns a complete Env for the lab: recon.Defaults() with every
// address replaced by a lab server, the lab dialer, the lab CA, the GeoIP
// readers, the abuse-tolerant ASN list and the lab clock. Each call returns
// a new Env (sharing the lab's servers and readers).
func (l *Lab) Env() *recon.Env {
	e := recon.Defaults()
	e.Resolver = l.dnsAddr
	e.Dial = l.Dial
	e.RootCAs = l.pki.pool
	e.PublicRoots = l.pki.pool // the lab root stands for the public web PKI
	if l.intercept != nil {
		// A managed machine trusts its inspecting proxy's CA; the public
		// web PKI does not include it.
		e.RootCAs = l.pki.pool.Clone()
		e.RootCAs.AddCert(l.intercept.root)
	}
	e.HTTP = recon.NewHTTPClient(e.Dial, e.RootCAs, 15*time.Second, e.Limits.MaxRedirects)
	e.WhoisServer = recon.DefaultWhoisServer // the dialer maps it to the lab's IANA listener
	e.RDAPBootstrapURL = l.rdapURL + "/rdap/"
	e.CertspotterURL = l.certspotterURL
	e.CrtshURL = l.crtshURL
	e.InternetDBURL = l.internetDBURL
	e.VirusTotalURL = l.keyedURL
	e.AbuseIPDBURL = l.keyedURL
	e.GeoIP = l.geo
	e.AbuseASNs = map[uint32]string{}
	for _, a := range l.w.AbuseASNs {
		e.AbuseASNs[a.ASN] = a.ASName
	}
	e.AbuseASNSource = "lab world ASN-DROP list"
	e.Lab = true
	if !l.opts.Now.IsZero() {
		now := l.opts.Now
		e.Now = func() time.Time { return now }
	} else {
		e.Now = time.Now
	}
	e.Sources = recon.NewSources(nil)
	return e
}

// Addrs lists every lab listener by what it serves ("dns", "whois
// whois.iana.org", "https 185.220.101.47", "certspotter", ...), for the
// sources panel and for debugging.
func (l *Lab) Addrs() map[string]string {
	out := map[string]string{
		"dns": l.dnsAddr, "certspotter": l.certspotterURL, "crtsh": l.crtshURL,
		"internetdb": l.internetDBURL, "rdap": l.rdapURL, "keyed": l.keyedURL,
		"dns authoritative (blocklist zones)": l.authDNSAddr,
	}
	for n, a := range l.whois {
		out["whois "+n] = a
	}
	for ip, a := range l.tlsByIP {
		out["https "+ip.String()] = a
	}
	for ip, a := range l.httpByIP {
		out["http "+ip.String()] = a
	}
	return out
}

// Dial is the lab dialer: world IPs on 443 and 80 go to the lab's TLS and
// HTTP listeners, WHOIS server names on 43 to their WHOIS listeners, world
// host names to their world addresses, the lab's own listeners (by address
// and port, compared as numbers: 127.0.0.1:0053 is port 53) pass through,
// and everything else is refused with an error wrapping ErrNotInLab. A
// non-public address — a hostile world's 127.0.0.1, 10.x, 169.254.169.254
// or ::1, and any loopback port that is not a lab listener (a redirect or a
// WHOIS referral to the analyst's own services) — is refused as the
// real-mode guarded dialer refuses it: the error also wraps
// recon.ErrNonPublic.
func (l *Lab) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	to, err := l.route(addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	if err := l.blocked(network, addr, to); err != nil {
		return nil, err
	}
	switch network {
	case "tcp4", "tcp6":
		network = "tcp"
	case "udp4", "udp6":
		network = "udp"
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

func (l *Lab) route(addr string) (string, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("lab: bad address %q: %w", addr, err)
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	refuse := fmt.Errorf("%w: refusing to dial %s (the lab only reaches its own servers on 127.0.0.1; add the host or IP to the world file)", ErrNotInLab, addr)
	port, ok := parsePort(portText)
	if !ok {
		return "", fmt.Errorf("%w: refusing to dial %s: the port is not a number from 1 to 65535", ErrNotInLab, addr)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		if a == SpamhausNSAddr && port == 53 {
			return l.authDNSAddr, nil
		}
		if ap := netip.AddrPortFrom(a, port); l.own[ap] {
			return ap.String(), nil
		}
		if err := nonPublic(a); err != nil {
			return "", err
		}
		if to := l.siteListener(a, port); to != "" {
			return to, nil
		}
		if _, ok := l.tlsByIP[a]; ok {
			return "", fmt.Errorf("%w: nothing listens on %s in the lab (world IPs serve ports 80 and 443 only)", ErrNotInLab, addr)
		}
		return "", refuse
	}
	if to, ok := l.whois[host]; ok && port == 43 {
		return to, nil
	}
	var npErr error
	for _, a := range l.c.resolveA(host) {
		if err := nonPublic(a); err != nil {
			npErr = err
			continue
		}
		if to := l.siteListener(a, port); to != "" {
			return to, nil
		}
	}
	if npErr != nil {
		return "", npErr
	}
	return "", refuse
}

// parsePort reads a decimal port (leading zeros allowed, as the dialer
// allows them); service names, signs and 0 are not ports here.
func parsePort(s string) (uint16, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 65535 {
			return 0, false
		}
	}
	return uint16(n), n > 0
}

// addOwn records a listener address as the lab's own.
func (l *Lab) addOwn(a net.Addr) {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		l.own[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
	}
}

// nonPublic refuses a non-public address as the guarded dialer does.
func nonPublic(a netip.Addr) error {
	if err := recon.CheckPublic(a); err != nil {
		return fmt.Errorf("%w (%w)", err, ErrNotInLab)
	}
	return nil
}

func (l *Lab) siteListener(a netip.Addr, port uint16) string {
	switch port {
	case 443:
		return l.tlsByIP[a]
	case 80:
		return l.httpByIP[a]
	}
	return ""
}

// delay waits for the configured latency; false means the lab is closing
// or ctx ended.
func (l *Lab) delay(ctx context.Context) bool {
	d := l.opts.Latency + l.dice.jitter()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	var ctxDone <-chan struct{}
	if ctx != nil {
		ctxDone = ctx.Done()
	}
	select {
	case <-t.C:
		return true
	case <-l.done:
		return false
	case <-ctxDone:
		return false
	}
}

// listen opens a TCP listener on 127.0.0.1:0 owned by the lab.
func (l *Lab) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab: listen on 127.0.0.1: %w", err)
	}
	l.listeners = append(l.listeners, ln)
	l.addOwn(ln.Addr())
	if l.dice != nil {
		return faultListener{Listener: ln, l: l}, nil
	}
	return ln, nil
}

// serveHTTP serves h on a new listener and returns "http://127.0.0.1:port".
func (l *Lab) serveHTTP(h http.Handler) (string, error) {
	ln, err := l.listen()
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: l.latency(h), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog}
	l.servers = append(l.servers, srv)
	l.wg.Add(1)
	go func() { defer l.wg.Done(); _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// latency wraps h with the configured delay.
func (l *Lab) latency(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.delay(r.Context()) {
			return
		}
		h.ServeHTTP(w, r)
	})
}

// listenDNS opens a UDP and a TCP listener on the same loopback port. The
// TCP port may already be taken by another process: then it tries another.
func listenDNS() (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("lab: DNS listen udp: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = fmt.Errorf("lab: DNS listen tcp on %s: %w", pc.LocalAddr(), err)
	}
	return nil, nil, lastErr
}

func (l *Lab) startDNS() error {
	pc, ln, err := listenDNS()
	if err != nil {
		return err
	}
	l.dnsAddr = pc.LocalAddr().String()
	l.addOwn(pc.LocalAddr())
	return l.serveDNS(pc, ln, dnsHandler{l})
}

// serveDNS serves h on a UDP and a TCP listener until the lab closes.
func (l *Lab) serveDNS(pc net.PacketConn, ln net.Listener, h dns.Handler) error {
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	for _, s := range []*dns.Server{udp, tcp} {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		l.wg.Add(1)
		errc := make(chan error, 1)
		go func() { defer l.wg.Done(); errc <- s.ActivateAndServe() }()
		select {
		case <-started:
			l.dnsServers = append(l.dnsServers, s)
		case err := <-errc:
			return fmt.Errorf("lab: DNS server: %w", err)
		}
	}
	return nil
}

// worldAddrs lists every IP of the world: the ips section and every A/AAAA value.
func (c *compiled) worldAddrs() []netip.Addr {
	set := map[netip.Addr]bool{}
	for a := range c.ips {
		set[a] = true
	}
	for _, m := range c.rrs {
		for _, rr := range m[dns.TypeA] {
			if a, ok := netip.AddrFromSlice(rr.(*dns.A).A.To4()); ok {
				set[a] = true
			}
		}
		for _, rr := range m[dns.TypeAAAA] {
			if a, ok := netip.AddrFromSlice(rr.(*dns.AAAA).AAAA.To16()); ok {
				set[a.Unmap()] = true
			}
		}
	}
	out := make([]netip.Addr, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}

// quietLog discards net/http's server log: handshake failures are expected
// in the lab (scans probe without SNI, verify strictly) and must not
// scribble over the analyst's terminal.
var quietLog = log.New(io.Discard, "", 0)
