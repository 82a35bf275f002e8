package lab

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
)

// hostileWorld is a small world with every hostile knob.
const hostileWorld = `{
  "byte_escapes": true,
  "tlds": {"com": "whois.verisign-grs.com"},
  "domains": {
    "esc.com": {"records": {"@": {"A": ["198.51.100.1"], "TXT": ["a\\x1b[2J\\xff\\\\b\"q"]}},
                "https": {"headers": {"X-C1": "\\xc2\\x9b"}}},
    "huge.com": {"records": {"@": {"A": ["198.51.100.2"]}}, "whois_bytes": 100000},
    "ct.com": {"records": {"@": {"A": ["198.51.100.3"]}}, "ct_bytes": 50000},
    "bomb.com": {"records": {"@": {"A": ["198.51.100.4"]}}, "header_bomb": 20000, "redirect_loop": true},
    "stall.com": {"records": {"@": {"A": ["198.51.100.5"]}}, "tls_stall": true},
    "junk.com": {"records": {"@": {"A": ["198.51.100.6"]}}, "dns_garbage": true},
    "inward.com": {"records": {"@": {"A": ["127.0.0.1", "10.0.0.5"]}}}
  },
  "certificates": [{"id": "big", "sans": ["esc.com"], "many_sans": 300}],
  "rate_limits": [{"service": "internetdb", "per_second": 2, "retry_after": 7}]
}`

func startHostile(t *testing.T, opts Options) *Lab {
	t.Helper()
	w, err := LoadWorld(strings.NewReader(hostileWorld))
	if err != nil {
		t.Fatal(err)
	}
	w.Domains["esc.com"].Cert = "big"
	if opts.Now.IsZero() {
		opts.Now = fixedNow
	}
	l, err := Start(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestHostileKnobs(t *testing.T) {
	l := startHostile(t, Options{})
	env := l.Env()
	ctx := context.Background()

	// byte_escapes: the TXT record's bytes on the wire are the decoded value.
	r := query(t, env.Resolver, "esc.com", dns.TypeTXT, "udp")
	if len(r.Answer) != 1 || strings.Join(r.Answer[0].(*dns.TXT).Txt, "") != `a\027[2J\255\\b\"q` {
		t.Errorf("TXT %v", r.Answer)
	}

	// whois_bytes: exactly that many bytes.
	c, err := env.Dial(ctx, "tcp", "whois.verisign-grs.com:43")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(c, "huge.com\r\n")
	n, _ := io.Copy(io.Discard, c)
	c.Close()
	if n != 100000 {
		t.Errorf("whois_bytes: %d bytes, want 100000", n)
	}

	// ct_bytes: a valid JSON array of exactly that many bytes, from both APIs.
	for _, u := range []string{env.CertspotterURL + "/v1/issuances?domain=ct.com&expand=dns_names", env.CrtshURL + "/?q=%25.ct.com&output=json"} {
		resp, err := env.HTTP.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var items []map[string]any
		if len(b) != 50000 || json.Unmarshal(b, &items) != nil || len(items) < 100 {
			t.Errorf("%s: %d bytes, %d items", u, len(b), len(items))
		}
	}

	// header_bomb and redirect_loop.
	client := *env.HTTP
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get("http://bomb.com/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(resp.Header) < 150 || resp.Header.Get("Location") != "http://bomb.com/loop" {
		t.Errorf("bomb.com: %d headers, Location %q", len(resp.Header), resp.Header.Get("Location"))
	}
	resp, err = client.Get("http://bomb.com/loop")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Location") != "http://bomb.com/" {
		t.Errorf("bomb.com/loop: Location %q", resp.Header.Get("Location"))
	}

	// many_sans.
	if cert, ok := l.Certificate("big"); !ok || len(cert.Leaf.DNSNames) != 301 {
		t.Errorf("many_sans: %d names", len(cert.Leaf.DNSNames))
	}

	// tls_stall: the handshake never finishes; the client's deadline ends it.
	raw, err := env.Dial(ctx, "tcp", "198.51.100.5:443")
	if err != nil {
		t.Fatal(err)
	}
	hctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err = tls.Client(raw, &tls.Config{ServerName: "stall.com", InsecureSkipVerify: true}).HandshakeContext(hctx)
	cancel()
	raw.Close()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled handshake ended with %v", err)
	}

	// dns_garbage: the answer does not parse, over UDP and TCP.
	for _, netw := range []string{"udp", "tcp"} {
		m := new(dns.Msg)
		m.SetQuestion("junk.com.", dns.TypeA)
		if _, _, err := (&dns.Client{Net: netw, Timeout: time.Second}).Exchange(m, env.Resolver); err == nil {
			t.Errorf("%s: a garbage answer parsed", netw)
		}
	}

	// Non-public world addresses are refused as the guarded dialer refuses them.
	for _, addr := range []string{"inward.com:443", "127.0.0.1:443", "10.0.0.5:80", "[::1]:443"} {
		_, err := env.Dial(ctx, "tcp", addr)
		if !errors.Is(err, recon.ErrNonPublic) || !errors.Is(err, ErrNotInLab) {
			t.Errorf("%s: %v, want a refusal wrapping recon.ErrNonPublic and ErrNotInLab", addr, err)
		}
	}
}

func TestRateLimit(t *testing.T) {
	l := startHostile(t, Options{})
	env := l.Env()
	codes := []int{}
	for range 4 {
		resp, err := env.HTTP.Get(env.InternetDBURL + "/198.51.100.1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "7" {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
	}
	if codes[2] != http.StatusTooManyRequests || codes[3] != http.StatusTooManyRequests || codes[0] == http.StatusTooManyRequests {
		t.Errorf("codes %v: want the third and fourth request in one second refused", codes)
	}
	reqs := l.Requests("internetdb")
	if len(reqs) != 4 || reqs[0].Limited || !reqs[3].Limited {
		t.Errorf("request log %+v", reqs)
	}
}

func TestFaultsInjected(t *testing.T) {
	l := startDemo(t, Options{Faults: Faults{Drop: 0.5, ServFail: 0.5, Seed: 3}})
	env := l.Env()
	answered, servfail, lost := 0, 0, 0
	for range 24 {
		m := new(dns.Msg)
		m.SetQuestion("nova-parcels.com.", dns.TypeA)
		r, _, err := (&dns.Client{Net: "udp", Timeout: 100 * time.Millisecond}).Exchange(m, env.Resolver)
		switch {
		case err != nil:
			lost++
		case r.Rcode == dns.RcodeServerFailure:
			servfail++
		default:
			answered++
		}
	}
	conns := 0
	for range 20 {
		c, err := env.Dial(context.Background(), "tcp", "whois.iana.org:43")
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		_, _ = io.WriteString(c, "com\r\n")
		if line, _ := bufio.NewReader(c).ReadString('\n'); line != "" {
			conns++
		}
		c.Close()
	}
	st := l.FaultStats()
	if lost == 0 || servfail == 0 || answered == 0 || conns == 20 || conns == 0 {
		t.Errorf("24 queries: %d answered, %d SERVFAIL, %d lost; 20 WHOIS connections: %d answered", answered, servfail, lost, conns)
	}
	if st.DNSDropped != lost || st.DNSServFail != servfail || st.ConnsDropped != 20-conns {
		t.Errorf("stats %+v; seen %d lost, %d SERVFAIL, %d dropped", st, lost, servfail, 20-conns)
	}
}

func TestParseFaults(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Faults
		bad  bool
	}{
		{"", Faults{}, false},
		{"drop=0.1,servfail=0.2,jitter=200ms", Faults{Drop: 0.1, ServFail: 0.2, Jitter: 200 * time.Millisecond}, false},
		{" seed=42 , drop=1 ", Faults{Drop: 1, Seed: 42}, false},
		{"drop=1.5", Faults{}, true},
		{"drop=-0.1", Faults{}, true},
		{"drop=NaN", Faults{}, true},
		{"jitter=fast", Faults{}, true},
		{"jitter=-1s", Faults{}, true},
		{"loss=0.1", Faults{}, true},
		{"drop", Faults{}, true},
		{"nxdomain=rewrite,resolver=refused", Faults{NXRewrite: true, ResolverRefused: true}, false},
		{"block=43,block=443,block=43", Faults{Block: []int{43, 443}}, false},
		{"tls=intercept,dnsbl=refused,seed=3", Faults{TLSIntercept: true, DNSBLRefused: true, Seed: 3}, false},
		{"block=0", Faults{}, true},
		{"block=http", Faults{}, true},
		{"nxdomain=yes", Faults{}, true},
		{"tls=off", Faults{}, true},
	} {
		got, err := ParseFaults(tt.in)
		if (err != nil) != tt.bad || !reflect.DeepEqual(got, tt.want) || (err != nil && !errors.Is(err, ErrFaults)) {
			t.Errorf("ParseFaults(%q) = %+v, %v", tt.in, got, err)
		}
		if err == nil {
			if again, err := ParseFaults(got.String()); err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("ParseFaults(%q.String() = %q) = %+v, %v", tt.in, got.String(), again, err)
			}
		}
	}
}

func TestBadHostileKnobs(t *testing.T) {
	for _, tt := range []struct{ name, json, want string }{
		{"whois_bytes", `{"domains":{"a.com":{"whois_bytes":-1}}}`, "whois_bytes"},
		{"header_bomb", `{"domains":{"a.com":{"header_bomb":999999999}}}`, "header_bomb"},
		{"rate service", `{"domains":{"a.com":{}},"rate_limits":[{"service":"shodan","per_second":1}]}`, `"shodan" is not a lab API`},
		{"rate twice", `{"domains":{"a.com":{}},"rate_limits":[{"service":"crtsh"},{"service":"crtsh"}]}`, "a second limit"},
		{"many_sans", `{"domains":{"a.com":{}},"certificates":[{"id":"x","sans":["a.com"],"many_sans":1000000}]}`, "many_sans"},
	} {
		if _, err := LoadWorld(strings.NewReader(tt.json)); err == nil || !errors.Is(err, ErrWorld) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error about %s", tt.name, err, tt.want)
		}
	}
}

func TestUnescapeBytes(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:          "plain",
		`\x1b[2J`:        "\x1b[2J",
		`\xff\xFE`:       "\xff\xfe",
		`a\\x1b`:         `a\x1b`,
		`\x1`:            `\x1`,
		`\xzz \n \`:      `\xzz \n \`,
		`\xc2\x9b\x00\\`: "\xc2\x9b\x00\\",
	} {
		if got := unescapeBytes(in); got != want {
			t.Errorf("unescapeBytes(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLoadWorld: no world file makes LoadWorld (or the world's compilation)
// panic or hang; a world it accepts can be loaded again after a JSON round
// trip of the raw input's object.
func FuzzLoadWorld(f *testing.F) {
	f.Add(DemoJSON())
	f.Add([]byte(hostileWorld))
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lab", "README.md")); err == nil {
		if _, rest, ok := strings.Cut(string(b), "```json\n"); ok {
			ex, _, _ := strings.Cut(rest, "```")
			f.Add([]byte(ex))
		}
	}
	for _, s := range []string{`{}`, `{"domains":{"a.com":{"records":{"@":{"TXT":["x"]}}}}}`,
		`{"ips":{"::1":{"ptr":"a.b."}}}`, `{"domains":{"a.com":{"records":{"x.":{"CNAME":["a.com."]}}}}}`,
		`{"byte_escapes":true,"domains":{"a.com":{"records":{"@":{"TXT":["\\x"]}}}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		w, err := LoadWorld(strings.NewReader(string(b)))
		if err != nil {
			if !errors.Is(err, ErrWorld) {
				t.Fatalf("error %v does not wrap ErrWorld", err)
			}
			return
		}
		if _, err := compile(w, fixedNow); err != nil {
			t.Fatalf("a loaded world does not compile: %v", err)
		}
	})
}
