package mail_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/mail"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

type corpusRecord struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Record string   `json:"record"`
	Strs   []string `json:"as_published_strings"`
}

func loadCorpus(t *testing.T) []corpusRecord {
	t.Helper()
	b, err := os.ReadFile(recontest.Corpus(t, "email", "records.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Records []corpusRecord `json:"records"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Records) == 0 {
		t.Fatal("no records in the corpus")
	}
	return d.Records
}

// expect is what a corpus record must parse to. For spf: all, lookups and
// error substrings; for dmarc: policy, pct, rua/ruf counts and errors. Other
// types must be rejected by both parsers.
type expect struct {
	all      string
	lookups  int
	policy   string
	pct      int
	rua, ruf int
	errs     []string // substrings, one per expected error, in order
	warns    int
}

var corpusWant = map[string]expect{
	"google.com#1":          {all: "~all", lookups: 1},
	"gist.github.com#1":     {lookups: 7, errs: []string{`"ip4:1": "1" is not an IPv4 address`}}, // the capture is cut off
	"tucows.com#1":          {all: "?all", lookups: 4},
	"_dmarc.facebook.com#1": {policy: "reject", pct: 100, rua: 1, ruf: 1},
	"arcselector9901._domainkey.microsoft.com#1": {},
	"proton.me#1":                          {all: "~all", lookups: 1},
	"_dmarc.proton.me#1":                   {policy: "quarantine", pct: 100},
	"default._bimi.proton.me#1":            {},
	"_spf.protonmail.ch#1":                 {all: "~all", lookups: 1},
	"_spf2.protonmail.ch#1":                {all: "~all"},
	"_spf.protonmail.ch#2":                 {all: "~all", lookups: 1},
	"_spf2.protonmail.ch#2":                {all: "~all"},
	"fbi.gov#1":                            {all: "-all", lookups: 1},
	"_dmarc.fbi.gov#1":                     {policy: "reject", pct: 100, rua: 1, ruf: 1},
	"_dmarc.fbi.gov#2":                     {policy: "reject", pct: 100, rua: 2, ruf: 1},
	"avd.dk#1":                             {all: "-all", warns: 1},
	"2021.ai#1":                            {all: "~all", lookups: 2, errs: []string{`"include:": include needs a domain`, `unknown mechanism "trustpilotservice.com"`}},
	"surftown.dk#1":                        {all: "~all", lookups: 2, errs: []string{`"relay.mailchannels.net" is not an IPv4 address`}},
	"seanthegeek.net#1":                    {all: "~all", lookups: 1},
	"cardinalhealth.net#1":                 {all: "~all", lookups: 1},
	"_dmarc.dea.gov#1":                     {policy: "none", pct: 100, rua: 2, errs: []string{`rua URI "reports@dmarc.cyber.dhs.gov" has no mailto: scheme`}},
	"_dmarc.energy.gov#1":                  {policy: "none", pct: 50, rua: 1, ruf: 1},
	"(not named; test uses example.com)#1": {all: "-all", lookups: 1},
	"blacklanternsecurity.com#1":           {all: "-all", lookups: 1},
	"_mta-sts.willeke.com#1":               {},
	"_smtp._tls.willeke.com#1":             {},
	"_mta-sts.aamukorva.fi#1":              {},
}

func checkErrs(t *testing.T, got []string, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("errors %q, want %d matching %q", got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("error %d = %q, want it to contain %q", i, got[i], want[i])
		}
	}
}

func TestCorpusEveryRecord(t *testing.T) {
	seen := map[string]int{}
	used := map[string]bool{}
	for _, r := range loadCorpus(t) {
		seen[r.Name]++
		key := fmt.Sprintf("%s#%d", r.Name, seen[r.Name])
		t.Run(key, func(t *testing.T) {
			w, ok := corpusWant[key]
			if !ok {
				t.Fatalf("no expectation for corpus record %s (%s): add one", key, r.Type)
			}
			used[key] = true
			spf, dmarc := mail.ParseSPF(r.Record), mail.ParseDMARC(r.Record)
			if spf.Raw != r.Record || dmarc.Raw != r.Record {
				t.Error("Raw must keep the record unchanged")
			}
			switch r.Type {
			case "spf":
				if !mail.IsSPF(r.Record) || mail.IsDMARC(r.Record) {
					t.Errorf("IsSPF/IsDMARC wrong for %q", r.Record)
				}
				if spf.All != w.all || spf.Lookups != w.lookups || len(spf.Warnings) != w.warns {
					t.Errorf("all %q lookups %d warnings %q; want %q %d %d", spf.All, spf.Lookups, spf.Warnings, w.all, w.lookups, w.warns)
				}
				checkErrs(t, spf.Errors, w.errs)
				if len(dmarc.Errors) == 0 {
					t.Error("ParseDMARC accepted an SPF record")
				}
			case "dmarc":
				if !mail.IsDMARC(r.Record) || mail.IsSPF(r.Record) {
					t.Errorf("IsSPF/IsDMARC wrong for %q", r.Record)
				}
				if dmarc.Policy != w.policy || dmarc.Pct != w.pct || len(dmarc.RUA) != w.rua || len(dmarc.RUF) != w.ruf {
					t.Errorf("got p=%q pct=%d rua=%q ruf=%q; want %q %d %d %d", dmarc.Policy, dmarc.Pct, dmarc.RUA, dmarc.RUF, w.policy, w.pct, w.rua, w.ruf)
				}
				checkErrs(t, dmarc.Errors, w.errs)
				if len(spf.Errors) == 0 {
					t.Error("ParseSPF accepted a DMARC record")
				}
			default: // dkim, bimi, mta-sts, tlsrpt: neither parser accepts them
				if mail.IsSPF(r.Record) || mail.IsDMARC(r.Record) {
					t.Errorf("%s record taken for SPF/DMARC", r.Type)
				}
				if len(spf.Errors) == 0 || len(dmarc.Errors) == 0 || len(spf.Mechanisms) != 0 || dmarc.Policy != "" {
					t.Errorf("%s record parsed: spf %+v dmarc %+v", r.Type, spf, dmarc)
				}
			}
			if len(r.Strs) > 0 && strings.Join(r.Strs, "") != r.Record {
				t.Errorf("as_published_strings do not join to the record")
			}
		})
	}
	for k := range corpusWant {
		if !used[k] {
			t.Errorf("expectation %s matched no corpus record", k)
		}
	}
}

func TestSPFKnownRecords(t *testing.T) {
	recs := map[string]string{}
	for _, r := range loadCorpus(t) {
		if _, dup := recs[r.Name]; !dup {
			recs[r.Name] = r.Record
		}
	}
	g := mail.ParseSPF(recs["google.com"])
	want := []recon.SPFMechanism{{Qualifier: "+", Name: "include", Value: "_spf.google.com"}, {Qualifier: "~", Name: "all"}}
	if !reflect.DeepEqual(g.Mechanisms, want) || g.All != "~all" || len(g.Errors) != 0 {
		t.Errorf("google.com: %+v", g)
	}
	tc := mail.ParseSPF(recs["tucows.com"])
	if tc.All != "?all" || tc.Mechanisms[4] != (recon.SPFMechanism{Qualifier: "+", Name: "ip6", Value: "2600:1f18:6057:5c01::16"}) {
		t.Errorf("tucows.com: %+v", tc)
	}
	fbi := mail.ParseSPF(recs["fbi.gov"])
	if fbi.Mechanisms[0] != (recon.SPFMechanism{Qualifier: "+", Name: "mx"}) || fbi.All != "-all" {
		t.Errorf("fbi.gov: %+v", fbi)
	}
	st := mail.ParseSPF(recs["surftown.dk"])
	for _, m := range st.Mechanisms {
		if m.Value == "relay.mailchannels.net" {
			t.Error("surftown.dk: a host name was kept as an ip4 mechanism")
		}
	}
	split := mail.ParseSPF(recs["(not named; test uses example.com)"])
	if len(split.Mechanisms) != 3 || split.Mechanisms[1].Value != "_spf.salesforce.com" || split.All != "-all" {
		t.Errorf("split multi-string SPF: %+v", split)
	}
	avd := mail.ParseSPF(recs["avd.dk"])
	if !reflect.DeepEqual(avd.Modifiers, []recon.SPFModifier{{Name: "ms", Value: "83859DAEBD1978F9A7A67D3"}}) || len(avd.Errors) != 0 {
		t.Errorf("avd.dk: %+v", avd)
	}
}

func TestDMARCKnownRecords(t *testing.T) {
	recs := map[string][]string{}
	for _, r := range loadCorpus(t) {
		recs[r.Name] = append(recs[r.Name], r.Record)
	}
	fb := mail.ParseDMARC(recs["_dmarc.facebook.com"][0])
	if fb.Policy != "reject" || fb.Pct != 100 || !reflect.DeepEqual(fb.RUA, []string{"mailto:a@dmarc.facebookmail.com"}) ||
		!reflect.DeepEqual(fb.RUF, []string{"mailto:fb-dmarc@datafeeds.phishlabs.com"}) || len(fb.Errors) != 0 {
		t.Errorf("facebook: %+v", fb)
	}
	fbi := mail.ParseDMARC(recs["_dmarc.fbi.gov"][1])
	if !reflect.DeepEqual(fbi.RUA, []string{"mailto:dmarc-feedback@fbi.gov", "mailto:reports@dmarc.cyber.dhs.gov"}) {
		t.Errorf("fbi.gov rua %q", fbi.RUA)
	}
	en := mail.ParseDMARC(recs["_dmarc.energy.gov"][0])
	if en.Policy != "none" || en.SubdomainPolicy != "none" || en.Pct != 50 || len(en.Errors) != 0 {
		t.Errorf("energy.gov: %+v", en)
	}
	dea := mail.ParseDMARC(recs["_dmarc.dea.gov"][0])
	if len(dea.Errors) != 1 || !strings.Contains(dea.Errors[0], "mailto:") || dea.RUA[0] != "reports@dmarc.cyber.dhs.gov" {
		t.Errorf("dea.gov: %+v", dea)
	}
}

func TestParseSPFTable(t *testing.T) {
	tests := []struct {
		in      string
		all     string
		redir   string
		lookups int
		errs    []string
		warns   int
	}{
		{in: "v=spf1 -all", all: "-all"},
		{in: "V=SPF1 ALL", all: "+all"},
		{in: "v=spf1", all: ""},
		{in: "v=spf1 redirect=_spf.example.com", redir: "_spf.example.com", lookups: 1},
		{in: "v=spf1 a mx ptr -all", all: "-all", lookups: 3, warns: 1},
		{in: "v=spf1 a:mail.example.com/24 mx//64 a/24//48 -all", all: "-all", lookups: 3},
		{in: "v=spf1 a/33 -all", all: "-all", errs: []string{"bad IPv4 prefix length"}},
		{in: "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 exp=explain.example.com -all", all: "-all"},
		{in: "v=spf1 ip4:2001:db8::1 -all", all: "-all", errs: []string{"not an IPv4 address"}},
		{in: "v=spf1 ip6:192.0.2.1 -all", all: "-all", errs: []string{"not an IPv6 address"}},
		{in: "v=spf1 ip4:192.0.2.0/33 -all", all: "-all", errs: []string{"not an IPv4 address or network"}},
		{in: "v=spf1 include:x -all", all: "-all", errs: []string{"not a fully qualified domain name"}},
		{in: "v=spf1 include:192.0.2.1 -all", all: "-all", errs: []string{"an IP address belongs in ip4:"}},
		{in: "v=spf1 exists:%{i}._spf.%{d} -all", all: "-all", lookups: 1},
		{in: "v=spf1 exists:%{z}.example.com -all", all: "-all", errs: []string{"unknown macro"}},
		{in: "v=spf1 all:foo", errs: []string{"all takes no argument"}},
		{in: "v=spf1 -all include:late.example.com", all: "-all", lookups: 1, warns: 1},
		{in: "v=spf1 redirect=a.example.com redirect=b.example.com", redir: "a.example.com", lookups: 1, errs: []string{"redirect= appears more than once"}},
		{in: "v=spf1 include:a.example.com ~all redirect=b.example.com", all: "~all", redir: "b.example.com", lookups: 2, warns: 1},
		{in: "v=spf1 foo:bar -all", all: "-all", errs: []string{`unknown mechanism "foo:bar"`}},
		{in: "v=spf10 -all", errs: []string{"not an SPF record"}},
		{in: "spf1 -all", errs: []string{"not an SPF record"}},
		{in: "", errs: []string{"not an SPF record"}},
		{in: `"v=spf1 mx" " -all"`, all: "-all", lookups: 1},
		{in: "v=spf1 " + strings.Repeat("include:a.example.com ", 11) + "-all", all: "-all", lookups: 11, errs: []string{"needs 11 DNS lookups"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r := mail.ParseSPF(tc.in)
			if r.All != tc.all || r.Redirect != tc.redir || r.Lookups != tc.lookups || len(r.Warnings) != tc.warns {
				t.Errorf("all %q redirect %q lookups %d warnings %q; want %q %q %d %d", r.All, r.Redirect, r.Lookups, r.Warnings, tc.all, tc.redir, tc.lookups, tc.warns)
			}
			checkErrs(t, r.Errors, tc.errs)
		})
	}
}

func TestParseDMARCTable(t *testing.T) {
	tests := []struct {
		in     string
		policy string
		sp     string
		pct    int
		errs   []string
	}{
		{in: "v=DMARC1; p=reject", policy: "reject", pct: 100},
		{in: "v=DMARC1;p=Quarantine;sp=reject;pct=25", policy: "quarantine", sp: "reject", pct: 25},
		{in: "v=DMARC1; rua=mailto:r@example.com", pct: 100, errs: []string{"no p= policy tag"}},
		{in: "v=DMARC1; p=block", pct: 100, errs: []string{`p="block" is not none`}},
		{in: "v=DMARC1; p=none; pct=150", policy: "none", pct: 100, errs: []string{"pct=\"150\""}},
		{in: "v=DMARC1; p=none; pct=abc", policy: "none", pct: 100, errs: []string{"pct=\"abc\""}},
		{in: "v=DMARC1; p=none; rua=mailto:a@example.com!10m", policy: "none", pct: 100},
		{in: "v=DMARC1; p=none; rua=https://example.com/r", policy: "none", pct: 100, errs: []string{"no mailto: scheme"}},
		{in: "v=DMARC1; p=none; ruf=mailto:nobody", policy: "none", pct: 100, errs: []string{"not an e-mail address"}},
		{in: "v=DMARC1; p=none; adkim=x", policy: "none", pct: 100, errs: []string{"adkim="}},
		{in: "v=DMARC1; p=none; fo=1:z", policy: "none", pct: 100, errs: []string{"fo="}},
		{in: "v=DMARC1; p=none; p=reject", policy: "none", pct: 100, errs: []string{"more than once"}},
		{in: "p=reject; v=DMARC1", pct: 100, errs: []string{"not a DMARC record"}},
		{in: "", pct: 100, errs: []string{"empty record"}},
		{in: `"v=DMARC1; p=reject; " "rua=mailto:a@example.com"`, policy: "reject", pct: 100},
		{in: "v=DMARC1; p=reject; np=reject; t=y", policy: "reject", pct: 100},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r := mail.ParseDMARC(tc.in)
			if r.Policy != tc.policy || r.SubdomainPolicy != tc.sp || r.Pct != tc.pct {
				t.Errorf("p=%q sp=%q pct=%d; want %q %q %d", r.Policy, r.SubdomainPolicy, r.Pct, tc.policy, tc.sp, tc.pct)
			}
			checkErrs(t, r.Errors, tc.errs)
		})
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`"a" "b"`:         "ab",
		`"v=spf1 \"x\\y"`: `v=spf1 "x\y`,
		`"\065\066"`:      "AB",
		`"unterminated`:   `"unterminated`,
		`"a" junk`:        `"a" junk`,
		`plain text`:      "plain text",
		`"\999"`:          `"\999"`,
	} {
		if got := mail.Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseSPF(f *testing.F) {
	for _, s := range []string{
		"v=spf1 include:_spf.google.com ~all",
		`"v=spf1 mx a:mail.cohaesio.net include: trustpilotservice.com ~all"`,
		"v=spf1 +ip4:relay.mailchannels.net a/24//64 exists:%{i}.x.com redirect=",
		`"v=spf1 ip4:147.75.8.208 " "include:_spf.salesforce.com -all"`,
		"v=spf1 %{ exp=%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := mail.ParseSPF(s)
		if r == nil || r.Raw != s {
			t.Fatal("nil result or Raw changed")
		}
		if r.Lookups > mail.MaxLookups && len(r.Errors) == 0 {
			t.Fatal("over the lookup limit without an error")
		}
	})
}

func FuzzParseDMARC(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=reject; rua=mailto:a@dmarc.facebookmail.com; ruf=mailto:x@y.com; pct=100",
		"v=DMARC1; p=none; rua=reports@dmarc.cyber.dhs.gov,mailto:dmarcreports@usdoj.gov",
		`"v=DMARC1;" "p=quarantine;pct=-1;rua=mailto:!"`,
		"v=DMARC1;;;=;p",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := mail.ParseDMARC(s)
		if r == nil || r.Raw != s {
			t.Fatal("nil result or Raw changed")
		}
		if r.Pct < 0 || r.Pct > 100 {
			t.Fatalf("pct %d out of range", r.Pct)
		}
		if r.Policy != "" && r.Policy != "none" && r.Policy != "quarantine" && r.Policy != "reject" {
			t.Fatalf("policy %q", r.Policy)
		}
	})
}
