package geoip

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// writeDB writes an .mmdb of dbType into dir/name with one record per CIDR.
func writeDB(t *testing.T, dir, name, dbType string, records map[string]mmdbtype.Map) {
	t.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, IncludeReservedNetworks: true, RecordSize: 24})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range records {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Insert(n, rec); err != nil {
			t.Fatalf("insert %s: %v", cidr, err)
		}
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func cityRec(cc, country, city string) mmdbtype.Map {
	return mmdbtype.Map{
		"country": mmdbtype.Map{"iso_code": mmdbtype.String(cc), "names": mmdbtype.Map{"en": mmdbtype.String(country)}},
		"city":    mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(city)}},
	}
}

func asnRec(asn uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(asn),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// testDB writes GeoLite2-City and GeoLite2-ASN databases and opens them.
func testDB(t *testing.T) *recon.GeoDB {
	t.Helper()
	dir := t.TempDir()
	writeDB(t, dir, "GeoLite2-City.mmdb", "GeoLite2-City", map[string]mmdbtype.Map{
		"185.220.101.0/24": cityRec("DE", "Germany", "Frankfurt am Main"),
		"2001:db8::/32":    cityRec("NL", "Netherlands", "Amsterdam"),
		"10.0.0.0/8":       cityRec("ZZ", "Private", "Nowhere"),
	})
	writeDB(t, dir, "GeoLite2-ASN.mmdb", "GeoLite2-ASN", map[string]mmdbtype.Map{
		"185.220.100.0/22": asnRec(205100, "F3 Netze e.V."),
		"2001:db8::/32":    asnRec(64496, "Example IPv6 Net"),
	})
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = Close(db) })
	return db
}

func TestOpenAndLookupDB(t *testing.T) {
	db := testDB(t)
	if db.City == nil || db.ASN == nil || len(db.Files) != 2 {
		t.Fatalf("Open = %+v", db)
	}
	tests := []struct {
		ip      string
		ok      bool
		cc      string
		city    string
		asn     uint32
		network string
	}{
		{"185.220.101.47", true, "DE", "Frankfurt am Main", 205100, "185.220.100.0/22"},
		{"::ffff:185.220.101.47", true, "DE", "Frankfurt am Main", 205100, "185.220.100.0/22"},
		{"2001:db8::1", true, "NL", "Amsterdam", 64496, "2001:db8::/32"},
		{"10.1.2.3", true, "ZZ", "Nowhere", 0, "10.0.0.0/8"},
		{"198.51.100.7", false, "", "", 0, ""},
	}
	for _, tt := range tests {
		g, ok := LookupDB(db, netip.MustParseAddr(tt.ip))
		if ok != tt.ok || g.CountryCode != tt.cc || g.City != tt.city || g.ASN != tt.asn || g.Network != tt.network {
			t.Errorf("LookupDB(%s) = %+v, %v", tt.ip, g, ok)
		}
	}
	if _, ok := LookupDB(nil, netip.MustParseAddr("185.220.101.47")); ok {
		t.Error("LookupDB(nil) reported data")
	}
}

func TestOpenErrors(t *testing.T) {
	empty := t.TempDir()
	if _, err := Open(empty); !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), "geoipupdate") {
		t.Errorf("Open(empty) = %v; want ErrNoDatabase with a hint", err)
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "GeoLite2-City.mmdb"), []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An ASN database under a City name is refused as the wrong type.
	writeDB(t, bad, "GeoIP2-City.mmdb", "GeoLite2-ASN", map[string]mmdbtype.Map{"192.0.2.0/24": asnRec(1, "x")})
	_, err := Open(bad)
	if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), "GeoLite2-City.mmdb") || !strings.Contains(err.Error(), "unexpected database type") {
		t.Errorf("Open(bad) = %v", err)
	}
	// A good ASN file next to the bad ones is still used.
	writeDB(t, bad, "GeoLite2-ASN.mmdb", "GeoLite2-ASN", map[string]mmdbtype.Map{"192.0.2.0/24": asnRec(64500, "Doc")})
	db, err := Open(filepath.Join(bad, "missing"), bad)
	if err != nil || db.City != nil || db.ASN == nil {
		t.Fatalf("Open(bad+asn) = %+v, %v", db, err)
	}
	_ = Close(db)
}

// scan runs the geoip module once against a loopback DNS server.
func scan(t *testing.T, h dns.Handler, db *recon.GeoDB, target string, tweak ...func(*recon.Env)) *recon.ModuleResult {
	t.Helper()
	env := recontest.Env(t, recontest.StartDNS(t, h), nil)
	env.GeoIP = db
	for _, f := range tweak {
		f(env)
	}
	tg, err := recon.ParseTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := New().Run(ctx, recon.NewRun(env, tg))
	if res == nil {
		t.Fatal("nil result")
	}
	return res
}

func geoFacts(t *testing.T, res *recon.ModuleResult) *recon.GeoFacts {
	t.Helper()
	f, ok := res.Facts.(*recon.GeoFacts)
	if !ok || f == nil {
		t.Fatalf("facts = %T", res.Facts)
	}
	return f
}

const novaOrigin = `47.101.220.185.origin.asn.cymru.com. 300 IN TXT "205100 | 185.220.101.0/24 | DE | ripencc | 2019-02-04"`
const novaName = `AS205100.asn.cymru.com. 300 IN TXT "205100 | DE | ripencc | 2019-02-04 | F3NETZE, DE"`

func TestModuleCymruAndMMDB(t *testing.T) {
	z := recontest.NewZone(t, novaOrigin, novaName)
	res := scan(t, z, testDB(t), "185.220.101.47")
	f := geoFacts(t, res)
	if res.Status != recon.StatusOK || len(f.IPs) != 1 {
		t.Fatalf("result %+v facts %+v", res, f)
	}
	g := f.IPs[0]
	want := recon.IPGeo{IP: "185.220.101.47", Country: "Germany", CountryCode: "DE", City: "Frankfurt am Main",
		ASN: 205100, ASOrg: "F3 Netze e.V.", Network: "185.220.101.0/24", Registry: "ripencc", Allocated: "2019-02-04",
		Sources: []string{"mmdb", "cymru"}}
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
	if f.Hint != "" {
		t.Errorf("hint with a City database: %q", f.Hint)
	}
	wantPivots := []recon.Pivot{{Kind: recon.PivotASN, Value: "AS205100", Relation: "ASN"}, {Kind: recon.PivotNetwork, Value: "185.220.101.0/24", Relation: "network"}}
	if !slices.Equal(res.Pivots, wantPivots) {
		t.Errorf("pivots = %+v", res.Pivots)
	}
}

func TestModuleCymruOnly(t *testing.T) {
	z := recontest.NewZone(t, novaOrigin, novaName)
	res := scan(t, z, nil, "185.220.101.47")
	f := geoFacts(t, res)
	g := f.IPs[0]
	if res.Status != recon.StatusOK || g.ASN != 205100 || g.ASOrg != "F3NETZE, DE" || g.CountryCode != "DE" || g.City != "" || !slices.Equal(g.Sources, []string{"cymru"}) {
		t.Fatalf("result %+v, geo %+v", res, g)
	}
	if !strings.Contains(f.Hint, "GeoLite2") || !strings.Contains(f.Hint, "--geoip-dir") {
		t.Errorf("hint = %q", f.Hint)
	}
}

func TestModuleNothingKnown(t *testing.T) {
	res := scan(t, recontest.NewZone(t), nil, "198.51.100.7") // NXDOMAIN: no route
	f := geoFacts(t, res)
	if res.Status != recon.StatusOK || len(f.IPs) != 1 || len(f.IPs[0].Sources) != 0 || f.Hint == "" {
		t.Fatalf("result %+v facts %+v", res, f)
	}
	if len(res.Pivots) != 0 {
		t.Errorf("pivots %+v", res.Pivots)
	}
}

func TestModuleServfail(t *testing.T) {
	z := recontest.NewZone(t, novaOrigin)
	z.Rcodes["47.101.220.185.origin.asn.cymru.com."] = dns.RcodeServerFailure
	// Without a database SERVFAIL is an error that says what to do.
	res := scan(t, z, nil, "185.220.101.47")
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "SERVFAIL") || !strings.Contains(res.Err, "--resolver") {
		t.Fatalf("result %+v", res)
	}
	if f := geoFacts(t, res); f.Hint == "" {
		t.Error("no hint on failure")
	}
	// With a database the module still answers from it.
	res = scan(t, z, testDB(t), "185.220.101.47")
	f := geoFacts(t, res)
	if res.Status != recon.StatusOK || f.IPs[0].ASN != 205100 || !slices.Equal(f.IPs[0].Sources, []string{"mmdb"}) {
		t.Fatalf("result %+v facts %+v", res, f)
	}
}

func TestModuleTimeout(t *testing.T) {
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {}) // never answers
	begin := time.Now()
	res := scan(t, silent, nil, "185.220.101.47", func(e *recon.Env) { e.Limits.DNSTimeout = 150 * time.Millisecond })
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "timeout") {
		t.Fatalf("result %+v", res)
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("took %s despite a 150ms DNS timeout", d)
	}
}

func TestModuleIPv6AndDomain(t *testing.T) {
	const v6 = "2001:db8::1"
	name := OriginName(netip.MustParseAddr(v6), "origin.asn.cymru.com", "origin6.asn.cymru.com")
	z := recontest.NewZone(t,
		"nova-parcels.com. 300 IN A 185.220.101.47",
		"nova-parcels.com. 300 IN AAAA "+v6,
		novaOrigin, novaName,
		name+`. 300 IN TXT "64496 64497 | 2001:db8::/48 | NL | ripencc | 2010-01-01"`,
	)
	res := scan(t, z, nil, "nova-parcels.com")
	f := geoFacts(t, res)
	if res.Status != recon.StatusOK || len(f.IPs) != 2 {
		t.Fatalf("result %+v facts %+v", res, f)
	}
	byIP := map[string]recon.IPGeo{}
	for _, g := range f.IPs {
		byIP[g.IP] = g
	}
	if g := byIP[v6]; g.ASN != 64496 || g.Network != "2001:db8::/48" || g.ASOrg != "" || g.CountryCode != "NL" {
		t.Errorf("IPv6 geo %+v", g)
	}
	if g := byIP["185.220.101.47"]; g.ASN != 205100 {
		t.Errorf("IPv4 geo %+v", g)
	}
	if z.Count(name, dns.TypeTXT) != 1 {
		t.Errorf("origin6 asked %d times", z.Count(name, dns.TypeTXT))
	}
}

func TestModuleNonPublicNotSent(t *testing.T) {
	z := recontest.NewZone(t)
	tg := recon.Target{Kind: recon.KindIP, Value: "10.1.2.3"}
	env := recontest.Env(t, recontest.StartDNS(t, z), nil)
	env.Lab = false
	res := New().Run(context.Background(), recon.NewRun(env, tg))
	if res.Status != recon.StatusOK {
		t.Fatalf("result %+v", res)
	}
	if n := z.Count("3.2.1.10.origin.asn.cymru.com", dns.TypeTXT); n != 0 {
		t.Errorf("private address sent to Cymru %d times", n)
	}
}

// TestModuleBulkCorpus serves the origins of the 12 addresses (IPv4 and
// IPv6, all five RIRs) of Cymru's bulk whois sample as DNS TXT records and
// checks that each address gets its ASN and prefix back.
func TestModuleBulkCorpus(t *testing.T) {
	f, err := os.Open(recontest.Corpus(t, "cymru", "whois.cymru.com_bulk_netcat_response.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct{ asn, ip, prefix, cc, reg, alloc, name string }
	var rows []row
	var records []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "|")
		if len(p) != 7 {
			continue // the "Bulk mode" header
		}
		for i := range p {
			p[i] = strings.TrimSpace(p[i])
		}
		r := row{p[0], p[1], p[2], p[3], p[4], p[5], p[6]}
		rows = append(rows, r)
		qn := OriginName(netip.MustParseAddr(r.ip), "origin.asn.cymru.com", "origin6.asn.cymru.com")
		records = append(records,
			fmt.Sprintf(`%s. 60 IN TXT "%s | %s | %s | %s | %s"`, qn, r.asn, r.prefix, r.cc, r.reg, r.alloc),
			fmt.Sprintf(`AS%s.asn.cymru.com. 60 IN TXT "%s | %s | %s | %s | %s"`, r.asn, r.asn, r.cc, r.reg, r.alloc, r.name))
	}
	if len(rows) != 12 {
		t.Fatalf("parsed %d rows of the bulk sample, want 12", len(rows))
	}
	addr := recontest.StartDNS(t, recontest.NewZone(t, records...))
	for _, r := range rows {
		env := recontest.Env(t, addr, nil)
		res := New().Run(context.Background(), recon.NewRun(env, recon.Target{Kind: recon.KindIP, Value: r.ip}))
		g := geoFacts(t, res).IPs[0]
		if g.Network != netip.MustParsePrefix(r.prefix).String() || fmt.Sprint(g.ASN) != r.asn || g.Registry != r.reg || g.ASOrg != r.name {
			t.Errorf("%s: got %+v", r.ip, g)
		}
	}
}
