package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon/lab"
)

func labChecks(t *testing.T, faults string) map[string]Check {
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
	cs := Run(context.Background(), l.Env(), Options{Timeout: 3 * time.Second})
	m := map[string]Check{}
	for _, c := range cs {
		m[c.Name] = c
	}
	if len(m) != len(cs) {
		t.Fatalf("duplicate check names: %+v", cs)
	}
	return m
}

func TestDoctorLab(t *testing.T) {
	for _, tt := range []struct {
		faults string
		want   map[string]Status // checks that must have this status; every other check is OK
		words  map[string]string // words the check's detail or fix must hold
	}{
		{"", nil, nil},
		{"block=43", map[string]Status{"WHOIS (TCP 43)": Fail}, map[string]string{"WHOIS (TCP 43)": "port 43"}},
		{"block=443", map[string]Status{"Cert Spotter API": Fail, "crt.sh": Fail, "InternetDB": Fail, "RDAP bootstrap": Fail},
			map[string]string{"InternetDB": "443"}},
		{"resolver=refused", map[string]Status{"resolver": Fail, "DNSBL dbl.spamhaus.org": Fail, "DNSBL zen.spamhaus.org": Fail},
			map[string]string{"resolver": "REFUSED"}},
		{"nxdomain=rewrite", map[string]Status{"resolver": Warn}, map[string]string{"resolver": lab.NXRewriteAddr}},
		{"dnsbl=refused", map[string]Status{"DNSBL dbl.spamhaus.org": Warn, "DNSBL zen.spamhaus.org": Warn},
			map[string]string{"DNSBL zen.spamhaus.org": "name servers"}},
		{"dnsbl=refused,block=53", map[string]Status{"DNSBL dbl.spamhaus.org": Fail, "DNSBL zen.spamhaus.org": Fail},
			map[string]string{"DNSBL zen.spamhaus.org": "127.255.255.254"}},
	} {
		t.Run(tt.faults, func(t *testing.T) {
			m := labChecks(t, tt.faults)
			fails := 0
			for name, c := range m {
				want, ok := tt.want[name]
				if !ok {
					want = OK
				}
				if c.Status != want {
					t.Errorf("%s: %s (%s), want %s", name, c.Status, c.Detail, want)
				}
				if c.Status != OK && c.Fix == "" {
					t.Errorf("%s: %s without what to do", name, c.Status)
				}
				if c.Status == Fail {
					fails++
				}
			}
			for name, w := range tt.words {
				if c := m[name]; !strings.Contains(c.Detail+" "+c.Fix, w) {
					t.Errorf("%s: %q not in %q / %q", name, w, c.Detail, c.Fix)
				}
			}
			var cs []Check
			for _, c := range m {
				cs = append(cs, c)
			}
			if Usable(cs) != (fails == 0) {
				t.Errorf("Usable = %v with %d failures", Usable(cs), fails)
			}
		})
	}
}
