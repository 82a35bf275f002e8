package tlscert

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

func interceptScan(t *testing.T, faults string, trustProxy bool) *recon.ModuleResult {
	t.Helper()
	f, err := lab.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Start(context.Background(), lab.Demo(), lab.Options{Faults: f, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	env := l.Env()
	if !trustProxy {
		env.RootCAs = env.PublicRoots // a machine that does not trust its network's proxy
	}
	tg, _ := recon.ParseTarget("nova-parcels.com")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return New().Run(ctx, recon.NewRun(env, tg))
}

// Interception is recognised whether the machine trusts the proxy's root
// (a private root) or not (the certificate disagrees with CT); the site's
// certificate then comes from CT and the proxy's are only evidence.
func TestInterceptionDetected(t *testing.T) {
	for _, tt := range []struct {
		name       string
		faults     string
		trustProxy bool
		want       string // part of Interception.Why; "" = not intercepted
	}{
		{"trusted proxy root", "tls=intercept", true, "not a public one"},
		{"untrusted proxy root", "tls=intercept", false, "disagrees with Certificate Transparency"},
		{"no proxy", "", true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := interceptScan(t, tt.faults, tt.trustProxy)
			f, _ := res.Facts.(*recon.SSLFacts)
			if f == nil {
				t.Fatalf("result %+v", res)
			}
			if tt.want == "" {
				if f.Intercepted != nil || f.FromCT || len(f.Certs) == 0 {
					t.Errorf("no proxy, but %+v", f)
				}
				return
			}
			if f.Intercepted == nil || !strings.Contains(f.Intercepted.Why, tt.want) || !f.FromCT {
				t.Fatalf("interception: %+v", f.Intercepted)
			}
			for _, c := range f.Certs {
				if strings.Contains(c.Issuer, lab.InterceptCAName) {
					t.Errorf("the proxy's certificate is among the site's: %s", c.Issuer)
				}
			}
			for _, p := range res.Pivots {
				for _, c := range f.Intercepted.Certs {
					if p.Value == c.SHA256 || p.Value == c.PubkeySHA256 {
						t.Errorf("pivot on the proxy's certificate: %+v", p)
					}
				}
			}
		})
	}
}
