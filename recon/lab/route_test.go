package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/whoismod"
)

// foreignListener is a loopback service the lab does not own (the
// analyst's own web server, database, ...). It fails the test if any
// connection reached it.
func foreignListener(t *testing.T) (port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A connection the dialer opened sits in the backlog: Accept
		// returns it at once. Nothing there: the deadline passes.
		_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
		if c, err := ln.Accept(); err == nil {
			c.Close()
			t.Errorf("a connection reached the foreign loopback listener %s", ln.Addr())
		}
		ln.Close()
	})
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port
}

func TestDialReachesOnlyOwnListeners(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	foreign := foreignListener(t)
	u, _ := url.Parse(l.certspotterURL)
	_, apiPort, _ := net.SplitHostPort(u.Host)
	_, whoisPort, _ := net.SplitHostPort(l.whois["whois.iana.org"])
	n, _ := strconv.Atoi(apiPort)

	allowed := []struct{ network, addr string }{
		{"udp", l.dnsAddr},
		{"tcp", l.dnsAddr},
		{"tcp", u.Host},
		{"tcp", "127.0.0.1:" + whoisPort},
		{"tcp", "127.0.0.1:00" + apiPort}, // the same port, written with leading zeros
		{"tcp", "[::ffff:127.0.0.1]:" + apiPort},
		{"tcp", "whois.iana.org:43"},
		{"tcp", "whois.iana.org:043"},
		{"tcp", "185.220.101.47:0443"},
	}
	for _, tt := range allowed {
		c, err := env.Dial(context.Background(), tt.network, tt.addr)
		if err != nil {
			t.Errorf("%s %s: %v, want the lab's own listener", tt.network, tt.addr, err)
			continue
		}
		c.Close()
	}

	refused := []string{
		"127.0.0.1:" + foreign,  // another loopback service
		"127.0.0.1:0" + foreign, // ... with a leading zero
		"127.0.0.1:80",          // the analyst's local web server
		"127.0.0.1:080",         // ... written with a leading zero (got through before)
		"127.0.0.1:0080",
		"127.0.0.1:0443",
		"127.0.0.1:00043",
		"127.0.0.2:" + apiPort,               // another loopback address, a lab port
		"[::1]:" + apiPort,                   // IPv6 loopback, a lab port
		"localhost:" + apiPort,               // a name, not the listener
		"127.0.0.1:http",                     // a service name
		"127.0.0.1:+" + apiPort,              // a sign
		"127.0.0.1:" + strconv.Itoa(n+65536), // wraps to a lab port in 16 bits
		"127.0.0.1:0",
		"0.0.0.0:" + apiPort,
		"[64:ff9b::7f00:1]:" + apiPort, // NAT64 of 127.0.0.1
	}
	for _, addr := range refused {
		c, err := env.Dial(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			t.Errorf("%s: dialled, want a refusal", addr)
			continue
		}
		if !errors.Is(err, ErrNotInLab) {
			t.Errorf("%s: %v does not wrap ErrNotInLab", addr, err)
		}
	}
	// Loopback refusals say why, as the real-mode guard does.
	if _, err := env.Dial(context.Background(), "tcp", "127.0.0.1:"+foreign); !errors.Is(err, recon.ErrNonPublic) {
		t.Errorf("foreign loopback port: %v, want recon.ErrNonPublic", err)
	}
}

// TestWhoisReferralToLoopbackRefused: a registry answer that refers to a
// WHOIS server on the analyst's own loopback port is not followed there.
func TestWhoisReferralToLoopbackRefused(t *testing.T) {
	foreign := foreignListener(t)
	for _, ref := range []string{"127.0.0.1:" + foreign, "whois://127.0.0.1:0" + foreign + "/", "[::1]:" + foreign} {
		t.Run(ref, func(t *testing.T) {
			world := fmt.Sprintf(`{
  "tlds": {"com": "whois.verisign-grs.com"},
  "domains": {"referral.com": {"records": {"@": {"A": ["198.51.100.9"]}},
    "whois": {"created": "2024-11-14", "registry_raw": "Domain Name: REFERRAL.COM\nRegistrar WHOIS Server: %s\nRegistrar: Example\nCreation Date: 2024-11-14T00:00:00Z\n"}}}
}`, ref)
			w, err := LoadWorld(strings.NewReader(world))
			if err != nil {
				t.Fatal(err)
			}
			l, err := Start(context.Background(), w, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			env := l.Env()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			tgt, err := recon.ParseTarget("referral.com")
			if err != nil {
				t.Fatal(err)
			}
			res := whoismod.New().Run(ctx, recon.NewRun(env, tgt))
			f, _ := res.Facts.(*recon.WhoisFacts)
			if f == nil || !strings.Contains(strings.Join(f.Servers, " "), foreign) {
				t.Fatalf("the walk did not reach the referral (status %s, err %q, facts %+v): the test proves nothing", res.Status, res.Err, f)
			}
			// The foreign listener's check (at cleanup) is the assertion.
		})
	}
}
