package lab

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file holds the hostile answers and faults a world can ask for:
// byte escapes, huge WHOIS and CT answers (streamed), header bombs,
// redirect loops, stalled TLS handshakes and API rate limits.

// maxGenerated bounds whois_bytes and ct_bytes (the answers are streamed,
// so this only stops a typo from running for days).
const maxGenerated = 1 << 40

// maxHeaderBomb bounds header_bomb.
const maxHeaderBomb = 64 << 20

// apiServices are the API names rate_limits may name.
var apiServices = map[string]bool{"certspotter": true, "crtsh": true, "internetdb": true, "rdap": true, "keyed": true, "whois": true}

// checkHostile validates the hostile knobs of a world.
func checkHostile(w *World) error {
	for name, d := range w.Domains {
		if d == nil {
			continue
		}
		if d.WhoisBytes < 0 || d.WhoisBytes > maxGenerated {
			return werr("domains[%q].whois_bytes: %d is out of range (0 to 2^40)", name, d.WhoisBytes)
		}
		if d.CTBytes < 0 || d.CTBytes > maxGenerated {
			return werr("domains[%q].ct_bytes: %d is out of range (0 to 2^40)", name, d.CTBytes)
		}
		if d.HeaderBomb < 0 || d.HeaderBomb > maxHeaderBomb {
			return werr("domains[%q].header_bomb: %d is out of range (0 to 64 MiB)", name, d.HeaderBomb)
		}
	}
	for _, c := range w.Certificates {
		if c != nil && (c.ManySANs < 0 || c.ManySANs > 100000) {
			return werr("certificates[%q].many_sans: %d is out of range (0 to 100000)", c.ID, c.ManySANs)
		}
	}
	seen := map[string]bool{}
	for i, rl := range w.RateLimits {
		if !apiServices[rl.Service] {
			return werr("rate_limits[%d].service: %q is not a lab API (use certspotter, crtsh, internetdb, rdap, keyed or whois)", i, rl.Service)
		}
		if seen[rl.Service] {
			return werr("rate_limits[%d]: a second limit for %q", i, rl.Service)
		}
		seen[rl.Service] = true
		if rl.PerSecond < 0 || rl.RetryAfter < 0 || rl.RetryAfter > 3600 {
			return werr("rate_limits[%d]: per_second must be 0 or more and retry_after 0 to 3600 seconds", i)
		}
	}
	return nil
}

// ---- byte escapes -------------------------------------------------------

// unescapeBytes turns \xHH into the byte HH and \\ into one backslash;
// every other backslash is kept as it is.
func unescapeBytes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			if s[i+1] == '\\' {
				b.WriteByte('\\')
				i++
				continue
			}
			if s[i+1] == 'x' && i+3 < len(s) {
				if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 3
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unescapeAll(ss []string) {
	for i := range ss {
		ss[i] = unescapeBytes(ss[i])
	}
}

func unescapeResponse(r *HTTPResponse) {
	if r == nil {
		return
	}
	r.Body = unescapeBytes(r.Body)
	r.Redirect = unescapeBytes(r.Redirect)
	h := make(map[string]string, len(r.Headers))
	for k, v := range r.Headers {
		h[k] = unescapeBytes(v)
	}
	if r.Headers != nil {
		r.Headers = h
	}
}

// applyByteEscapes decodes \xHH in every string of w that carries network
// data (see World.ByteEscapes).
func applyByteEscapes(w *World) {
	for _, d := range w.Domains {
		if d == nil {
			continue
		}
		for _, types := range d.Records {
			for typ, vals := range types {
				if strings.EqualFold(typ, "TXT") {
					unescapeAll(vals)
				}
			}
		}
		if wi := d.Whois; wi != nil {
			wi.Raw, wi.RegistryRaw = unescapeBytes(wi.Raw), unescapeBytes(wi.RegistryRaw)
		}
		unescapeResponse(d.HTTPS)
		unescapeResponse(d.HTTP)
		for _, p := range d.Pages {
			unescapeResponse(p)
		}
		for i := range d.CT {
			d.CT[i].Name = unescapeBytes(d.CT[i].Name)
			unescapeAll(d.CT[i].Names)
		}
	}
	for _, c := range w.Certificates {
		if c != nil {
			c.CN = unescapeBytes(c.CN)
			unescapeAll(c.SANs)
		}
	}
	for _, ip := range w.IPs {
		if ip != nil {
			ip.PTR = unescapeBytes(ip.PTR)
			ip.Country, ip.City = unescapeBytes(ip.Country), unescapeBytes(ip.City)
			ip.ASOrg, ip.ASName = unescapeBytes(ip.ASOrg), unescapeBytes(ip.ASName)
			unescapeAll(ip.Hostnames)
			unescapeAll(ip.Tags)
			unescapeAll(ip.CPEs)
			unescapeAll(ip.Vulns)
		}
	}
}

// ---- WHOIS ----------------------------------------------------------------

// hugeWhois returns the size of the generated answer server gives to query
// (0: the normal answer). IANA always answers normally.
func (c *compiled) hugeWhois(server, query string) int64 {
	if server == ianaWhois {
		return 0
	}
	q := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(query), "."))
	if d := c.domains[q]; d != nil {
		return d.WhoisBytes
	}
	return 0
}

// writeHugeWhois streams n bytes of a WHOIS answer about query: a usual
// head, then numbered remark lines. It stops when the client hangs up or
// the lab closes.
func (l *Lab) writeHugeWhois(conn net.Conn, query string, n int64) {
	bw := bufio.NewWriterSize(conn, 64<<10)
	head := fmt.Sprintf("Domain Name: %s\r\nRegistrar: Hostile Lab Registrar\r\nCreation Date: %s\r\n",
		strings.ToUpper(strings.TrimSpace(query)), l.c.now.AddDate(0, 0, -3).Format("2006-01-02T15:04:05Z"))
	written := int64(0)
	write := func(s string) bool {
		if int64(len(s)) > n-written {
			s = s[:n-written]
		}
		k, err := bw.WriteString(s)
		written += int64(k)
		return err == nil && written < n
	}
	if !write(head) {
		_ = bw.Flush()
		return
	}
	for i := 0; ; i++ {
		if i%1024 == 0 {
			select {
			case <-l.done:
				return
			default:
			}
		}
		if !write(fmt.Sprintf("Remarks: filler line %09d of a hostile, endless WHOIS answer ..............................\r\n", i)) {
			break
		}
	}
	_ = bw.Flush()
}

// ---- CT -------------------------------------------------------------------

// ctBytes returns the size of the streamed CT answer for domain (0: normal).
func (c *compiled) ctBytes(domain string) int64 {
	if d := c.domains[domain]; d != nil {
		return d.CTBytes
	}
	return 0
}

// streamJSONArray writes a JSON array of n bytes (at least "[]") whose
// elements come from item(i), generated as they are written: nothing of the
// answer is held in memory. It stops when the client hangs up.
func (l *Lab) streamJSONArray(w http.ResponseWriter, n int64, item func(i int) string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	written := int64(0)
	put := func(s string) bool {
		k, err := bw.WriteString(s)
		written += int64(k)
		return err == nil
	}
	if !put("[") {
		return
	}
	for i := 0; ; i++ {
		if i%1024 == 0 {
			select {
			case <-l.done:
				return
			default:
			}
		}
		it := item(i)
		if i > 0 {
			it = "," + it
		}
		if written+int64(len(it))+1 > n {
			// Pad with spaces (valid JSON whitespace) up to n-1, then close.
			for written+1 < n {
				pad := min(n-1-written, 4096)
				if !put(strings.Repeat(" ", int(pad))) {
					return
				}
			}
			put("]")
			return
		}
		if !put(it) {
			return
		}
	}
}

func certspotterItem(domain string) func(int) string {
	return func(i int) string {
		return fmt.Sprintf(`{"id":"%d","tbs_sha256":"%064x","cert_sha256":"%064x","pubkey_sha256":"%064x","dns_names":["n%d.%s","\u001b[2Jx%d.%s"],"not_before":"2025-01-01T00:00:00Z","not_after":"2025-04-01T00:00:00Z","revoked":false}`,
			1+i, i, i+1, i+2, i, domain, i, domain)
	}
}

func crtshItem(domain string) func(int) string {
	return func(i int) string {
		return fmt.Sprintf(`{"issuer_ca_id":1,"issuer_name":"C=US, O=Hostile, CN=X","common_name":"n%d.%s","name_value":"n%d.%s\n\u001b]0;t\u0007%d.%s","id":%d,"entry_timestamp":"2025-01-01T00:00:00.000","not_before":"2025-01-01T00:00:00","not_after":"2025-04-01T00:00:00","serial_number":"%x","result_count":1}`,
			i, domain, i, domain, i, domain, 1+i, i)
	}
}

// ---- HTTP sites -------------------------------------------------------------

// addHeaderBomb adds about n bytes of headers.
func addHeaderBomb(h http.Header, n int) {
	val := strings.Repeat("B", 100)
	for i := 0; n > 0; i++ {
		k := fmt.Sprintf("X-Bomb-%06d", i)
		h.Set(k, val)
		n -= len(k) + len(val) + 4
	}
}

// redirectLoop answers a domain with redirect_loop: "/" goes to "/loop",
// anything else back to "/".
func redirectLoop(w http.ResponseWriter, r *http.Request, host string) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	next := "/"
	if r.URL.Path == "/" {
		next = "/loop"
	}
	w.Header().Set("Location", scheme+"://"+host+next)
	w.WriteHeader(http.StatusFound)
}

// ---- TLS stall --------------------------------------------------------------

// stalls reports whether a handshake with SNI sni on the listener of world
// IP ip must stall: the SNI names a tls_stall domain, or there is no SNI and
// a tls_stall domain resolves to ip.
func (l *Lab) stalls(sni string, ip netip.Addr) bool {
	sni = strings.ToLower(strings.TrimSuffix(sni, "."))
	if sni != "" {
		d := l.c.domains[l.c.apexOf(sni+".")]
		return d != nil && d.TLSStall
	}
	for name, d := range l.c.domains {
		if !d.TLSStall {
			continue
		}
		for _, a := range l.c.resolveA(name) {
			if a == ip {
				return true
			}
		}
	}
	return false
}

// stall holds a handshake after the ClientHello until the client hangs up,
// the server's handshake deadline passes, or the lab closes.
func (l *Lab) stall(hello *tls.ClientHelloInfo) error {
	gone := make(chan struct{})
	if hello.Conn != nil {
		go func() {
			var b [1]byte
			_, _ = hello.Conn.Read(b[:]) // the client sends nothing more: this returns when it leaves
			close(gone)
		}()
	}
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	select {
	case <-gone:
	case <-hello.Context().Done():
	case <-l.done:
	case <-t.C:
	}
	return fmt.Errorf("lab: stalled handshake for %q", hello.ServerName)
}

// ---- API rate limits ----------------------------------------------------------

// APIRequest is one request a lab API received.
type APIRequest struct {
	At      time.Time
	Limited bool // answered 429
}

// apiLimits applies the world's rate_limits and logs every API request.
type apiLimits struct {
	mu     sync.Mutex
	rules  map[string]RateLimit
	recent map[string][]time.Time // requests served in the last second
	log    map[string][]APIRequest
}

func newAPILimits(rls []RateLimit) *apiLimits {
	a := &apiLimits{rules: map[string]RateLimit{}, recent: map[string][]time.Time{}, log: map[string][]APIRequest{}}
	for _, rl := range rls {
		a.rules[rl.Service] = rl
	}
	return a
}

// admit logs a request to svc and reports the Retry-After seconds to
// answer with, or -1 to serve it.
func (a *apiLimits) admit(svc string, now time.Time) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	rl, limited := a.rules[svc]
	retry := -1
	if limited {
		keep := a.recent[svc][:0]
		for _, t := range a.recent[svc] {
			if now.Sub(t) < time.Second {
				keep = append(keep, t)
			}
		}
		a.recent[svc] = keep
		if len(keep) >= rl.PerSecond {
			retry = rl.RetryAfter
			if retry == 0 {
				retry = 1
			}
		} else {
			a.recent[svc] = append(a.recent[svc], now)
		}
	}
	if len(a.log[svc]) < 100000 {
		a.log[svc] = append(a.log[svc], APIRequest{At: now, Limited: retry >= 0})
	}
	return retry
}

// limited wraps an API handler with the world's rate limit for svc.
func (l *Lab) limited(svc string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retry := l.limits.admit(svc, time.Now()); retry >= 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retry))
			writeJSON(w, http.StatusTooManyRequests, "application/json", map[string]string{
				"code": "rate_limited", "message": "You have exceeded the rate limit. Retry after " + strconv.Itoa(retry) + " seconds."})
			return
		}
		h(w, r)
	}
}

// Requests returns every request the lab API svc ("certspotter", "crtsh",
// "internetdb", "rdap", "keyed") has received, in arrival order.
func (l *Lab) Requests(svc string) []APIRequest {
	l.limits.mu.Lock()
	defer l.limits.mu.Unlock()
	return append([]APIRequest(nil), l.limits.log[svc]...)
}
