package mail_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/dnsmod"
	"github.com/netspecter/netspecter-tui/recon/mail"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

func runMail(t *testing.T, h dns.Handler, target string) (*recon.ModuleResult, *recon.EmailFacts) {
	t.Helper()
	env := recontest.Env(t, recontest.StartDNS(t, h), nil)
	tg, err := recon.ParseTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := mail.New().Run(ctx, recon.NewRun(env, tg))
	f, _ := res.Facts.(*recon.EmailFacts)
	if f == nil {
		t.Fatalf("facts are %T", res.Facts)
	}
	return res, f
}

func TestModuleMeta(t *testing.T) {
	m := mail.New()
	if m.ID() != "email" || m.Touch() != recon.TouchThirdParty {
		t.Errorf("ID/Touch %q %q", m.ID(), m.Touch())
	}
	if !m.Applies(recon.KindDomain) || !m.Applies(recon.KindEmail) || m.Applies(recon.KindIP) {
		t.Error("applies to domain and email only")
	}
}

func TestEmailCases(t *testing.T) {
	tests := []struct {
		name      string
		records   []string
		target    string
		spoofable bool
		posture   string
		reason    string // substring of SpoofReason
		check     func(t *testing.T, f *recon.EmailFacts, res *recon.ModuleResult)
	}{
		{
			name:      "no SPF no DMARC",
			records:   []string{"bare.test. 300 IN A 192.0.2.1"},
			target:    "bare.test",
			spoofable: true, posture: "spf:none dmarc:none", reason: "no SPF and no DMARC",
			check: func(t *testing.T, f *recon.EmailFacts, _ *recon.ModuleResult) {
				if f.SPF != nil || f.DMARC != nil || f.HasMX || f.SPFCount != 0 {
					t.Errorf("facts %+v", f)
				}
			},
		},
		{
			name: "reject and -all",
			records: []string{
				"good.test. 300 IN MX 20 mx2.good.test.",
				"good.test. 300 IN MX 10 MX1.Good.Test.",
				`good.test. 300 IN TXT "v=spf1 mx -all"`,
				`good.test. 300 IN TXT "google-site-verification=abc"`,
				`_dmarc.good.test. 300 IN TXT "v=DMARC1; p=reject; rua=mailto:d@good.test"`,
			},
			target:    "User@Good.Test",
			spoofable: false, posture: "spf:-all dmarc:reject", reason: "refused",
			check: func(t *testing.T, f *recon.EmailFacts, res *recon.ModuleResult) {
				if f.Domain != "good.test" || !f.HasMX || !reflect.DeepEqual(f.MX, []string{"mx1.good.test", "mx2.good.test"}) {
					t.Errorf("facts %+v", f)
				}
				want := []recon.Pivot{{Kind: recon.PivotMX, Value: "mx1.good.test", Relation: "MX"}, {Kind: recon.PivotMX, Value: "mx2.good.test", Relation: "MX"}}
				if !reflect.DeepEqual(res.Pivots, want) {
					t.Errorf("pivots %+v", res.Pivots)
				}
				if f.SPFCount != 1 || f.DMARC.Policy != "reject" || f.SPF.Lookups != 1 {
					t.Errorf("spf %+v dmarc %+v", f.SPF, f.DMARC)
				}
			},
		},
		{
			name: "two SPF records",
			records: []string{
				`two.test. 300 IN TXT "v=spf1 -all"`,
				`two.test. 300 IN TXT "v=spf1 include:other.example ~all"`,
				`_dmarc.two.test. 300 IN TXT "v=DMARC1; p=quarantine"`,
			},
			target:    "two.test",
			spoofable: false, posture: "spf:permerror dmarc:quarantine", reason: "broken",
			check: func(t *testing.T, f *recon.EmailFacts, _ *recon.ModuleResult) {
				if f.SPFCount != 2 {
					t.Errorf("SPFCount %d", f.SPFCount)
				}
			},
		},
		{
			name: "null MX",
			records: []string{
				"nomail.test. 300 IN MX 0 .",
				`nomail.test. 300 IN TXT "v=spf1 -all"`,
			},
			target:    "nomail.test",
			spoofable: true, posture: "spf:-all dmarc:none", reason: "no DMARC",
			check: func(t *testing.T, f *recon.EmailFacts, res *recon.ModuleResult) {
				if !f.NullMX || f.HasMX || len(f.MX) != 0 || len(res.Pivots) != 0 {
					t.Errorf("facts %+v pivots %+v", f, res.Pivots)
				}
			},
		},
		{
			name: "MTA-STS and TLS-RPT",
			records: []string{
				"sts.test. 300 IN MX 10 mail.sts.test.",
				`sts.test. 300 IN TXT "v=spf1 mx ~all"`,
				`_dmarc.sts.test. 300 IN TXT "v=DMARC1; p=none; rua=mailto:r@sts.test"`,
				`_mta-sts.sts.test. 300 IN TXT "v=STSv1;id=1577377920599;"`,
				`_smtp._tls.sts.test. 300 IN TXT "v=TLSRPTv1;rua=mailto:reports@sts.test;"`,
			},
			target:    "sts.test",
			spoofable: true, posture: "spf:~all dmarc:monitor", reason: "p=none only monitors",
			check: func(t *testing.T, f *recon.EmailFacts, _ *recon.ModuleResult) {
				if !f.MTASTS || f.MTASTSID != "1577377920599" || !f.TLSRPT {
					t.Errorf("mta-sts %v %q tls-rpt %v", f.MTASTS, f.MTASTSID, f.TLSRPT)
				}
			},
		},
		{
			name: "two MTA-STS records: no policy, read",
			records: []string{
				`sts2.test. 300 IN TXT "v=spf1 -all"`,
				`_dmarc.sts2.test. 300 IN TXT "v=DMARC1; p=reject"`,
				`_mta-sts.sts2.test. 300 IN TXT "v=STSv1; id=1"`,
				`_mta-sts.sts2.test. 300 IN TXT "v=STSv1; id=2"`,
				`_mta-sts.sts2.test. 300 IN TXT "not a policy"`,
			},
			target:    "sts2.test",
			spoofable: false, posture: "spf:-all dmarc:reject", reason: "refused",
			check: func(t *testing.T, f *recon.EmailFacts, _ *recon.ModuleResult) {
				if f.MTASTS || f.MTASTSID != "" || f.Errors["_mta-sts TXT"] != "" ||
					f.MTASTSProblem != "2 MTA-STS records: senders ignore MTA-STS; keep one" {
					t.Errorf("mta-sts %v id %q problem %q errors %v", f.MTASTS, f.MTASTSID, f.MTASTSProblem, f.Errors)
				}
				b, err := json.Marshal(f)
				if err != nil {
					t.Fatal(err)
				}
				var got map[string]any
				if err := json.Unmarshal(b, &got); err != nil {
					t.Fatal(err)
				}
				if got["mta_sts"] != false || got["mta_sts_problem"] != f.MTASTSProblem {
					t.Errorf("JSON says mta_sts %v, problem %v: the records were read", got["mta_sts"], got["mta_sts_problem"])
				}
			},
		},
		{
			name: "+all beats DMARC",
			records: []string{
				`open.test. 300 IN TXT "v=spf1 +all"`,
				`_dmarc.open.test. 300 IN TXT "v=DMARC1; p=reject"`,
			},
			target:    "open.test",
			spoofable: true, posture: "spf:+all dmarc:reject", reason: "+all",
		},
		{
			name: "pct below 100",
			records: []string{
				`pct.test. 300 IN TXT "v=spf1 -all"`,
				`_dmarc.pct.test. 300 IN TXT "v=DMARC1; p=quarantine; pct=50"`,
			},
			target:    "pct.test",
			spoofable: true, posture: "spf:-all dmarc:quarantine:pct50", reason: "only 50%",
		},
		{
			name: "DMARC without p",
			records: []string{
				`nop.test. 300 IN TXT "v=spf1 -all"`,
				`_dmarc.nop.test. 300 IN TXT "v=DMARC1; rua=mailto:x@nop.test"`,
			},
			target:    "nop.test",
			spoofable: true, posture: "spf:-all dmarc:invalid", reason: "no valid p=",
		},
		{
			name: "include chain counted, missing include reported",
			records: []string{
				`inc.test. 300 IN TXT "v=spf1 include:_spf.inc.test include:gone.test -all"`,
				`_spf.inc.test. 300 IN TXT "v=spf1 a mx include:_spf2.inc.test ~all"`,
				`_spf2.inc.test. 300 IN TXT "v=spf1 exists:%{i}.x.inc.test ip4:192.0.2.0/24 ~all"`,
				`_dmarc.inc.test. 300 IN TXT "v=DMARC1; p=reject"`,
			},
			target:    "inc.test",
			spoofable: false, posture: "spf:permerror dmarc:reject",
			check: func(t *testing.T, f *recon.EmailFacts, _ *recon.ModuleResult) {
				// 2 (top) + 3 (_spf: a, mx, include) + 1 (_spf2: exists) = 6
				if f.SPF.Lookups != 6 {
					t.Errorf("lookups %d, want 6", f.SPF.Lookups)
				}
				if len(f.SPF.Errors) != 1 || !strings.Contains(f.SPF.Errors[0], "gone.test has no SPF record") {
					t.Errorf("errors %q", f.SPF.Errors)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, f := runMail(t, recontest.NewZone(t, tc.records...), tc.target)
			if res.Status != recon.StatusOK {
				t.Fatalf("status %s: %s", res.Status, res.Err)
			}
			if f.Spoofable != tc.spoofable || f.Posture != tc.posture || !strings.Contains(f.SpoofReason, tc.reason) {
				t.Errorf("spoofable %v posture %q reason %q; want %v %q ~%q", f.Spoofable, f.Posture, f.SpoofReason, tc.spoofable, tc.posture, tc.reason)
			}
			if tc.check != nil {
				tc.check(t, f, res)
			}
		})
	}
}

func TestIncludeOverLimit(t *testing.T) {
	recs := []string{`big.test. 300 IN TXT "v=spf1 include:a.big.test include:b.big.test include:c.big.test -all"`}
	for _, n := range []string{"a", "b", "c"} {
		recs = append(recs, n+`.big.test. 300 IN TXT "v=spf1 a mx a:x.big.test mx:y.big.test ~all"`)
	}
	_, f := runMail(t, recontest.NewZone(t, recs...), "big.test")
	if f.SPF.Lookups <= mail.MaxLookups {
		t.Fatalf("lookups %d, want more than 10", f.SPF.Lookups)
	}
	if len(f.SPF.Errors) != 1 || !strings.Contains(f.SPF.Errors[0], "the limit is 10") {
		t.Errorf("errors %q", f.SPF.Errors)
	}
}

func TestIncludeLoopIsBounded(t *testing.T) {
	z := recontest.NewZone(t,
		`loop.test. 300 IN TXT "v=spf1 include:a.loop.test -all"`,
		`a.loop.test. 300 IN TXT "v=spf1 include:loop.test ~all"`,
	)
	_, f := runMail(t, z, "loop.test")
	if len(f.SPF.Errors) != 1 || !strings.Contains(f.SPF.Errors[0], "include loop") {
		t.Errorf("errors %q", f.SPF.Errors)
	}
	if z.Count("loop.test", dns.TypeTXT) != 1 {
		t.Errorf("loop.test TXT asked %d times", z.Count("loop.test", dns.TypeTXT))
	}
}

func TestDMARCServfailIsAnError(t *testing.T) {
	z := recontest.NewZone(t, `sf.test. 300 IN TXT "v=spf1 -all"`)
	z.Rcodes["_dmarc.sf.test."] = dns.RcodeServerFailure
	res, f := runMail(t, z, "sf.test")
	if res.Status != recon.StatusError {
		t.Fatalf("status %s: a SERVFAIL must not read as \"no DMARC\"", res.Status)
	}
	if !strings.Contains(res.Err, "DMARC") || !strings.Contains(res.Err, "SERVFAIL") || !strings.Contains(res.Err, "--resolver") {
		t.Errorf("error %q", res.Err)
	}
	if f.SPF == nil || f.Errors["_dmarc TXT"] == "" {
		t.Errorf("facts found before the failure are kept: %+v", f)
	}
}

func TestMXFailureKeepsVerdict(t *testing.T) {
	z := recontest.NewZone(t,
		`mxf.test. 300 IN TXT "v=spf1 -all"`,
		`_dmarc.mxf.test. 300 IN TXT "v=DMARC1; p=reject"`,
	)
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if r.Question[0].Qtype == dns.TypeMX {
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeRefused)
			_ = w.WriteMsg(m)
			return
		}
		z.ServeDNS(w, r)
	})
	res, f := runMail(t, h, "mxf.test")
	if res.Status != recon.StatusOK || f.Spoofable || !strings.HasPrefix(f.Errors["MX"], "REFUSED") {
		t.Errorf("status %s spoofable %v errors %v", res.Status, f.Spoofable, f.Errors)
	}
}

// TestSharedQueries runs dns and email on one Run: the questions both ask
// (MX and TXT of the domain) reach the server once.
func TestSharedQueries(t *testing.T) {
	z := recontest.NewZone(t,
		"shared.test. 300 IN A 192.0.2.1",
		"shared.test. 300 IN MX 10 mx.shared.test.",
		`shared.test. 300 IN TXT "v=spf1 mx -all"`,
		`_dmarc.shared.test. 300 IN TXT "v=DMARC1; p=reject"`,
	)
	env := recontest.Env(t, recontest.StartDNS(t, z), nil)
	run := recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: "shared.test"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	results := make([]*recon.ModuleResult, 2)
	for i, m := range []recon.Module{dnsmod.New(), mail.New()} {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = m.Run(ctx, run) }()
	}
	wg.Wait()
	for i, r := range results {
		if r.Status != recon.StatusOK {
			t.Fatalf("module %d: %s %s", i, r.Status, r.Err)
		}
	}
	if n := z.Count("shared.test", dns.TypeMX); n != 1 {
		t.Errorf("MX asked %d times, want 1", n)
	}
	if n := z.Count("shared.test", dns.TypeTXT); n != 1 {
		t.Errorf("TXT asked %d times, want 1", n)
	}
	d := results[0].Facts.(*recon.DNSFacts)
	e := results[1].Facts.(*recon.EmailFacts)
	if len(d.MX) != 1 || !reflect.DeepEqual(e.MX, []string{d.MX[0].Host}) {
		t.Errorf("dns MX %+v, email MX %+v", d.MX, e.MX)
	}
}

// TestDMARCOrganisationalFallback: a subdomain without its own record is
// governed by its organisational domain's (RFC 7489 §6.6.3), sp= first.
func TestDMARCOrganisationalFallback(t *testing.T) {
	tests := []struct {
		name, record, want string
		spoofable          bool
	}{
		{"sp wins", `"v=DMARC1; p=reject; sp=quarantine"`, "quarantine", false},
		{"p applies", `"v=DMARC1; p=reject"`, "reject", false},
		{"p=none", `"v=DMARC1; p=none"`, "none", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := recontest.NewZone(t,
				`mail.example.com. 300 IN MX 10 mx.example.com.`,
				`mail.example.com. 300 IN TXT "v=spf1 -all"`,
				`_dmarc.example.com. 300 IN TXT `+tt.record,
			)
			res, f := runMail(t, z, "mail.example.com")
			if res.Status != recon.StatusOK || f.DMARC == nil {
				t.Fatalf("status %s, dmarc %+v", res.Status, f.DMARC)
			}
			if f.DMARC.From != "example.com" || f.DMARC.Policy != tt.want || f.Spoofable != tt.spoofable {
				t.Fatalf("dmarc %+v spoofable %v; want from example.com policy %s spoofable %v", f.DMARC, f.Spoofable, tt.want, tt.spoofable)
			}
		})
	}
	// The organisational record unread: the subdomain's DMARC is unknown,
	// not "none", and the verdict is no guess.
	z0 := recontest.NewZone(t,
		`mail.example.com. 300 IN MX 10 mx.example.com.`,
		`mail.example.com. 300 IN TXT "v=spf1 -all"`,
		`_dmarc.example.com. 300 IN TXT "v=DMARC1; p=reject"`,
	)
	z0.Rcodes["_dmarc.example.com."] = dns.RcodeServerFailure
	res, f := runMail(t, z0, "mail.example.com")
	if res.Status != recon.StatusError || !f.DMARCUnread() || f.Spoofable || !strings.Contains(res.Err, "_dmarc.example.com") {
		t.Errorf("organisational record unread: status %s, dmarc unread %v, spoofable %v, err %q", res.Status, f.DMARCUnread(), f.Spoofable, res.Err)
	}
	// The organisational domain itself never looks further up.
	z := recontest.NewZone(t, `example.com. 300 IN TXT "v=spf1 -all"`)
	if _, f := runMail(t, z, "example.com"); f.DMARC != nil {
		t.Fatalf("organisational domain got a DMARC record from nowhere: %+v", f.DMARC)
	}
}
