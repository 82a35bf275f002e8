package hostile

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

// internet stands in for the public internet beneath a real-mode Env: a
// public world address is reached at its lab listener (on loopback), and
// every non-public address is handed, as a literal IP, to the real guarded
// dialer, which must refuse it. Nothing else is ever dialled, so the test
// cannot reach a public address even by mistake, and every decision about
// a non-public address is the guarded dialer's own.
func internet(t *testing.T, l *lab.Lab, env *recon.Env, guarded recon.DialFunc, refused *atomic.Int32) recon.DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var addrs []netip.Addr
		if a, err := netip.ParseAddr(host); err == nil {
			addrs = []netip.Addr{a}
		} else if addrs, err = env.LookupAddrs(ctx, host); err != nil {
			return nil, err
		}
		lastErr := fmt.Errorf("%s has no address", host)
		for _, a := range addrs {
			if recon.NonPublicReason(a) != "" {
				c, err := guarded(ctx, network, net.JoinHostPort(a.String(), port))
				if err == nil {
					c.Close()
					t.Errorf("the guarded dialer connected to %s", a)
					return nil, errors.New("test: the guard let a non-public address through")
				}
				if !errors.Is(err, recon.ErrNonPublic) {
					t.Errorf("the guarded dialer refused %s without ErrNonPublic: %v", a, err)
				}
				refused.Add(1)
				lastErr = err
				continue
			}
			c, err := l.Dial(ctx, network, net.JoinHostPort(a.String(), port)) // a world address: its lab listener; anything else is refused unseen
			if err == nil {
				return c, nil
			}
			lastErr = err
		}
		return nil, lastErr
	}
}

// TestNoConnectionInward: outside the lab, names that resolve to
// 127.0.0.1, ::1, 10.0.0.5, 169.254.169.254 or CNAME to localhost, and a
// redirect to a loopback listener, open no connection; the ssl and headers
// results and the assessment say why.
func TestNoConnectionInward(t *testing.T) {
	trap, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer trap.Close()
	var trapped atomic.Int32
	go func() {
		for {
			c, err := trap.Accept()
			if err != nil {
				return
			}
			trapped.Add(1)
			c.Close()
		}
	}()
	inward := "http://" + trap.Addr().String() + "/latest/meta-data/"

	w := loadWorld(t)
	w.Domains["redirect-inward.com"].HTTPS = &lab.HTTPResponse{Redirect: inward}
	w.Domains["redirect-inward.com"].HTTP = &lab.HTTPResponse{Redirect: inward}
	l := startLab(t, w, lab.Options{})

	// A real-mode Env: the defaults, the lab's DNS as the resolver, the
	// guarded network, Lab false.
	env := recon.Defaults()
	env.Resolver = l.Env().Resolver
	env.RootCAs = l.Env().RootCAs
	shortLimits(env)
	// Third-party services at an address the guard refuses: only the
	// target-derived connections matter here.
	const nowhere = "http://127.0.0.1:1"
	env.WhoisServer = "127.0.0.1:1"
	env.RDAPBootstrapURL = nowhere + "/rdap/"
	env.CertspotterURL, env.CrtshURL, env.InternetDBURL = nowhere, nowhere, nowhere
	env.VirusTotalURL, env.AbuseIPDBURL = nowhere, nowhere
	env.UseGuardedNetwork()
	if env.Lab {
		t.Fatal("the Env must be in real mode")
	}
	var refused atomic.Int32
	env.Dial = internet(t, l, env, env.Dial, &refused)
	env.HTTP = recon.NewHTTPClient(env.Dial, env.RootCAs, 5*time.Second, env.Limits.MaxRedirects)

	traps := map[string][]string{ // domain -> addresses it points at
		"loopback-trap.com":   {"127.0.0.1", "::1"},
		"private-trap.com":    {"10.0.0.5"},
		"metadata-trap.com":   {"169.254.169.254"},
		"localhost-cname.com": {"127.0.0.1", "::1"},
	}
	var targets []recon.Target
	for d := range traps {
		targets = append(targets, target(t, d))
	}
	targets = append(targets, target(t, "redirect-inward.com"))
	reps := scanAll(env, targets)

	if n := trapped.Load(); n != 0 {
		t.Errorf("the loopback listener behind the redirect saw %d connections, want 0", n)
	}
	if refused.Load() == 0 {
		t.Error("the guarded dialer was never asked: the test did not exercise it")
	}
	for d, addrs := range traps {
		rep := reps[d]
		ssl, hdr := rep.Module("ssl"), rep.Module("headers")
		if ssl.Status == recon.StatusOK {
			t.Errorf("%s: ssl ok, want a refusal", d)
		}
		sslWhy := ssl.Err
		if f := recon.FactsOf[recon.SSLFacts](rep, "ssl"); f != nil {
			sslWhy += " " + strings.Join(f.Skipped, " ")
		}
		for _, a := range addrs {
			if !strings.Contains(sslWhy, "refused to connect to "+a) {
				t.Errorf("%s: ssl does not say it refused %s: %q", d, a, sslWhy)
			}
		}
		if hdr.Status == recon.StatusOK || !strings.Contains(hdr.Err, "refused to connect to") || !strings.Contains(hdr.Err, "address") {
			t.Errorf("%s: headers %s %q, want a refusal that names the address", d, hdr.Status, hdr.Err)
		}
		var rules []string
		for _, s := range rep.Assessment.Signals {
			if s.Rule == "non-public-address" {
				rules = append(rules, s.Text)
			}
		}
		if len(rules) != len(addrs) {
			t.Errorf("%s: non-public-address signals %q, want one per address %v", d, rules, addrs)
		}
		t.Logf("%s: ssl %s %q; headers %s %q; signals %q", d, ssl.Status, sslWhy, hdr.Status, hdr.Err, rules)
	}
	for d, rep := range reps {
		for id, m := range rep.Modules {
			if m.DurationMS > 1000 {
				t.Logf("%s/%s took %d ms: %s %q", d, id, m.DurationMS, m.Status, m.Err)
			}
		}
	}
	hdr := reps["redirect-inward.com"].Module("headers")
	if hdr.Status == recon.StatusOK || !strings.Contains(hdr.Err, "refused to connect to 127.0.0.1: it is a loopback address") {
		t.Errorf("redirect-inward.com: headers %s %q, want the redirect refused", hdr.Status, hdr.Err)
	}
	t.Logf("redirect-inward.com: headers %s %q", hdr.Status, hdr.Err)
}
