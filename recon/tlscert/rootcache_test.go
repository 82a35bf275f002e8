package tlscert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// TestPrivateRootCache: privateRoot answers what privateRootOf answers,
// per chain and per pair of pools (the same chain against other pools is
// another question), repeated questions included; the cache stays within
// its bound.
func TestPrivateRootCache(t *testing.T) {
	now := time.Now()
	a := recontest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "a.test").Leaf
	b := recontest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "b.test").Leaf
	pool := func(cs ...*x509.Certificate) *x509.CertPool {
		p := x509.NewCertPool()
		for _, c := range cs {
			p.AddCert(c)
		}
		return p
	}
	trusted, publicNone, publicA := pool(a, b), pool(), pool(a)
	for round := range 2 {
		for _, tt := range []struct {
			name          string
			leaf          *x509.Certificate
			roots, public *x509.CertPool
			wantPrivateCN string // "" = not a private root
		}{
			{"a, private", a, trusted, publicNone, "a.test"},
			{"a, public", a, trusted, publicA, ""},
			{"b, private", b, trusted, publicA, "b.test"},
			{"b, untrusted", b, publicA, publicNone, ""},
			{"no public pool", a, trusted, nil, ""},
		} {
			got := privateRoot(tt.leaf, nil, tt.roots, tt.public)
			want := ""
			if tt.public != nil {
				want = privateRootOf(tt.leaf, nil, tt.roots, tt.public)
			}
			if got != want || (tt.wantPrivateCN == "") != (got == "") {
				t.Errorf("round %d, %s: %q, uncached %q", round, tt.name, got, want)
			}
		}
	}
	for i := range 3 * maxRoots {
		privateRoots.put(rootKey{chain: [32]byte{byte(i), byte(i >> 8)}}, "")
	}
	if n := len(privateRoots.m); n > maxRoots {
		t.Errorf("cache holds %d answers, bound %d", n, maxRoots)
	}
}
