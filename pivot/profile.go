package pivot

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/cdn"
)

// Profile is what one scanned domain looks like along the pivot attributes
// of "build the picture" (step 7 of the seed workflow), read from the typed
// facts of its scan. It is the one extraction behind clusters
// (cluster.go), the Markdown report (package export) and the comparison
// matrix and timeline (package tui/compare); each filters Profiles its own
// way.
//
// Lists keep the order of the facts and hold each value once. Strings from
// the network keep their case unless the field says otherwise; lists of
// values compared case-insensitively (name servers, certificate hashes) are
// lower-cased.
type Profile struct {
	// Domain is the entity's value lower-cased without a trailing dot; an
	// e-mail address stands for its domain (the part after the last @).
	Domain string
	// Entity is the entity whose scan supplied the facts.
	Entity EntityKey
	// Keys are the entities that stand for Domain, Entity first: Profiles
	// gathers a domain and its e-mail addresses; ProfileOf gives Entity only.
	Keys []EntityKey
	// ScannedAt is when Entity's last scan finished (zero: unknown).
	ScannedAt time.Time
	// Verdict is Entity.Verdict(): the assessment without the signals the
	// analyst marked false positives.
	Verdict recon.Level

	// IPs are DNSFacts.A then AAAA, canonical (IPv4-mapped addresses
	// unmapped, zones dropped); records that do not parse are left out.
	IPs []string
	// ReportedIPs are DNSFacts.A then AAAA exactly as reported (duplicates
	// and unparsable records kept), for display.
	ReportedIPs []string
	// Nets are the /24 (IPv4) or /48 (IPv6) of each of IPs (NetOf).
	Nets []string
	// Hosts are every address of IPs and of GeoFacts.IPs, each with the AS
	// number GeoIP gives it (0: unknown); clusters read their ip, net and
	// asn keys from them.
	Hosts []Host
	// ASNs are "AS205100" for each GeoIP record with an AS number.
	ASNs []string
	// ASOrgs maps an ASNs entry to its AS organisation (the last non-empty
	// one GeoIP gives); nil when there is none.
	ASOrgs map[string]string
	// ASNames are "AS205100 Org" (the organisation as reported, if any) for
	// each distinct AS number and organisation GeoIP gives, for display.
	ASNames []string
	// Countries are the country code (else the country name) of each GeoIP
	// record that has one.
	Countries []string
	// Registrar is WhoisFacts.Registrar with runs of white space folded to
	// one space (NormSpace); case kept.
	Registrar string
	// ReportedRegistrar is WhoisFacts.Registrar as reported, for display.
	ReportedRegistrar string
	// Privacy is WhoisFacts.Privacy: the registrant is hidden by a privacy
	// service.
	Privacy bool
	// Created and Expires are the WHOIS dates in UTC; nil when unknown or
	// zero.
	Created *time.Time
	Expires *time.Time
	// NS is the name-server set (NormNS) of DNSFacts.NS, or of
	// WhoisFacts.NameServers when DNS gives none.
	NS []string
	// Certs are the SHA-256 fingerprints (lower-case hex) of the leaf
	// certificates seen, CDN edges included; empty ones are left out.
	Certs []string
	// Leaves are the leaf certificates as reported, one per SHA-256 (the
	// first seen).
	Leaves []recon.CertFacts
	// CertKeys are the fingerprints of the leaves not served from a CDN
	// edge address (an edge certificate is shared by the CDN's customers).
	CertKeys []CertKey
	// SANs are the DNS names of Leaves.
	SANs []string
	// Posture is EmailFacts.Posture with white space folded (NormSpace).
	Posture string
	// ReportedPosture is EmailFacts.Posture as reported, for display.
	ReportedPosture string
	// Spoof is EmailFacts.SpoofReason as reported.
	Spoof string
	// SPFIncludes are the domains of the include: mechanisms of
	// EmailFacts.SPF, lower-cased without a trailing dot, each once.
	SPFIncludes []string
	// RUA are the DMARC aggregate-report mailboxes of EmailFacts.DMARC.RUA
	// (RuaMailbox: lower-cased, without "mailto:" and a "!size" suffix);
	// URIs that are not mailto: addresses are left out.
	RUA []string
	// SOAMbox is the RNAME of DNSFacts.SOA (the zone contact's mailbox as
	// a name, e.g. "hostmaster.example.com"), lower-cased without a
	// trailing dot; "" when unknown.
	SOAMbox string
	// SubdomainsOK is true when the subdomains module ran successfully;
	// Subdomains is then the number of names Certificate Transparency knows
	// (at least those listed) and SubdomainSource where they came from.
	SubdomainsOK    bool
	Subdomains      int
	SubdomainSource string
	// FirstIssuance is the earliest certificate Certificate Transparency
	// knows for the domain, in UTC; nil when unknown.
	FirstIssuance *time.Time
	// CoIssued are the certificates CT knows for the domain whose SANs
	// span other registrable domains too (SubdomainFacts.CoIssued).
	CoIssued []recon.CoIssuedCert
	// Operator fingerprints (package recon/fingerprint), from the headers
	// and dns modules.
	//
	// Analytics are the AnalyticsID.Key values of the page ("UA-1234567",
	// "fb:123…"), each once, in page order.
	Analytics []string
	// Favicon is the icon's Shodan hash as a decimal string ("" when
	// none); FaviconDefault names the product whose stock icon it is.
	Favicon        string
	FaviconDefault string
	// PageHash is the normalised page hash (lower-case hex), PageSize the
	// normalised length, PageDefault the stock page it is ("" for none);
	// Title the page title as reported.
	PageHash    string
	PageSize    int
	PageDefault string
	Title       string
	// Verify are the site-verification tokens as "<service>:<token>" (DNS
	// TXT first, then page <meta> tags), each once; VerifyScope gives each
	// one's scope (recon.ScopeAccount, ScopeDomain, ScopeUnknown).
	Verify      []string
	VerifyScope map[string]string
	// IPHostnames are, per address (canonical), the host names InternetDB
	// has seen on it, as reported: how many sites share the address.
	IPHostnames map[string][]string
	// AddrPTR are, per address, its reverse names (DNSFacts.AddrPTR).
	AddrPTR map[string][]string
}

// Host is one address of a profile with its AS number (0: unknown).
type Host struct {
	Addr netip.Addr
	ASN  uint32
}

// CertKey is the SHA-256 of a leaf certificate and of its public key, both
// lower-case hex; either may be empty, not both.
type CertKey struct {
	SHA256 string
	Pubkey string
}

// ProfileOf returns the profile of entity e (scanned or not: without a scan
// only Domain, Entity, Keys and Verdict are set).
func ProfileOf(e *Entity) Profile { return entityProfile(e, ReportProfile(e.Scan)) }

// entityProfile completes p, the ReportProfile of e's scan, with what e
// gives.
func entityProfile(e *Entity, p Profile) Profile {
	p.Domain = profileDomain(e)
	p.Entity = e.Key
	p.Keys = []EntityKey{e.Key}
	p.ScannedAt = e.ScannedAt
	p.Verdict = e.Verdict()
	return p
}

// Profiles returns one profile per scanned domain of s — entities of kind
// domain, subdomain or e-mail address (an address stands for its domain)
// that have a scan — in session order. The first entity of a domain
// supplies the facts; the later ones are only listed in Keys.
func (s *Session) Profiles() []Profile { return s.profiles(nil) }

// profiles is Profiles over the entities that keep accepts (nil: all); an
// entity that keep refuses does not claim its domain.
func (s *Session) profiles(keep func(e *Entity, domain string) bool) []Profile {
	var out []Profile
	at := map[string]int{}
	for _, e := range s.Entities() {
		if e.Scan == nil || !profileKind(e.Kind) {
			continue
		}
		d := profileDomain(e)
		if d == "" || keep != nil && !keep(e, d) {
			continue
		}
		if i, ok := at[d]; ok {
			out[i].Keys = append(out[i].Keys, e.Key)
			continue
		}
		at[d] = len(out)
		out = append(out, ProfileOf(e))
	}
	return out
}

// profileKind reports whether entities of kind k have a domain profile.
func profileKind(k recon.PivotKind) bool {
	return k == recon.PivotDomain || k == recon.PivotSubdomain || k == recon.PivotEmail
}

// profileDomain is the domain e stands for: its value lower-cased without
// a trailing dot, the part after the last @ for an e-mail address.
func profileDomain(e *Entity) string {
	d := strings.ToLower(e.Value)
	if e.Kind == recon.PivotEmail {
		if i := strings.LastIndexByte(d, '@'); i >= 0 {
			d = d[i+1:]
		}
	}
	return strings.TrimSuffix(d, ".")
}

// ReportProfile extracts the facts part of a profile from one report (nil
// gives an empty profile); Domain, Entity, Keys, ScannedAt and Verdict are
// left for the caller.
func ReportProfile(r *recon.Report) Profile {
	var p Profile
	dns := recon.FactsOf[recon.DNSFacts](r, recon.ModuleDNS)
	if dns != nil {
		p.ReportedIPs = slices.Concat(dns.A, dns.AAAA)
		for _, a := range p.ReportedIPs {
			if ip, ok := parseIP(a); ok {
				p.IPs = addValue(p.IPs, ip.String())
				p.Hosts = appendHost(p.Hosts, ip, 0, false)
			}
		}
		p.NS = NormNS(dns.NS)
		p.AddrPTR = dns.AddrPTR
		if dns.SOA != nil {
			p.SOAMbox = normName(dns.SOA.Mbox)
		}
	}
	for _, ip := range p.IPs {
		p.Nets = addValue(p.Nets, NetOf(ip))
	}
	if g := recon.FactsOf[recon.GeoFacts](r, recon.ModuleGeoIP); g != nil {
		for _, x := range g.IPs {
			if ip, ok := parseIP(x.IP); ok {
				p.Hosts = appendHost(p.Hosts, ip, x.ASN, true)
			}
			if x.ASN != 0 {
				as := FormatASN(x.ASN)
				p.ASNs = addValue(p.ASNs, as)
				p.ASNames = addValue(p.ASNames, strings.TrimSpace(as+" "+x.ASOrg))
				if x.ASOrg != "" {
					if p.ASOrgs == nil {
						p.ASOrgs = map[string]string{}
					}
					p.ASOrgs[as] = x.ASOrg
				}
			}
			if x.CountryCode != "" {
				p.Countries = addValue(p.Countries, x.CountryCode)
			} else {
				p.Countries = addValue(p.Countries, x.Country)
			}
		}
	}
	if w := recon.FactsOf[recon.WhoisFacts](r, recon.ModuleWhois).Own(); w != nil {
		p.Registrar = NormSpace(w.Registrar)
		p.ReportedRegistrar = w.Registrar
		p.Privacy = w.Privacy
		p.Created = utc(w.Created)
		p.Expires = utc(w.Expires)
		if len(p.NS) == 0 {
			p.NS = NormNS(w.NameServers)
		}
	}
	if ssl := recon.FactsOf[recon.SSLFacts](r, recon.ModuleSSL); ssl != nil {
		seen := map[string]bool{}
		var sans map[string]bool // a set: a shared certificate has hundreds of SANs
		for _, c := range ssl.Certs {
			sha := strings.ToLower(strings.TrimSpace(c.SHA256))
			pub := strings.ToLower(strings.TrimSpace(c.PubkeySHA256))
			p.Certs = addValue(p.Certs, sha)
			if k := (CertKey{sha, pub}); (sha != "" || pub != "") && !edgeAddress(c.Address) && !slices.Contains(p.CertKeys, k) {
				p.CertKeys = append(p.CertKeys, k)
			}
			if seen[sha] {
				continue
			}
			seen[sha] = true
			p.Leaves = append(p.Leaves, c)
			for _, n := range c.SANs {
				if sans == nil {
					sans = make(map[string]bool, len(c.SANs))
					p.SANs = make([]string, 0, len(c.SANs))
				}
				if !sans[n] {
					sans[n] = true
					p.SANs = append(p.SANs, n)
				}
			}
		}
	}
	if m := recon.FactsOf[recon.EmailFacts](r, recon.ModuleEmail); m != nil {
		p.Posture = NormSpace(m.Posture)
		p.ReportedPosture = m.Posture
		p.Spoof = m.SpoofReason
		if m.SPF != nil {
			for _, mech := range m.SPF.Mechanisms {
				if strings.EqualFold(mech.Name, "include") {
					p.SPFIncludes = addValue(p.SPFIncludes, normName(mech.Value))
				}
			}
		}
		if m.DMARC != nil {
			for _, u := range m.DMARC.RUA {
				p.RUA = addValue(p.RUA, RuaMailbox(u))
			}
		}
	}
	fingerprintProfile(&p, r)
	if sd := recon.FactsOf[recon.SubdomainFacts](r, recon.ModuleSubdomains); sd != nil {
		if r.OK(recon.ModuleSubdomains) {
			p.SubdomainsOK = true
			p.Subdomains = max(sd.Total, len(sd.Names))
			p.SubdomainSource = sd.Source
		}
		p.FirstIssuance = utc(sd.FirstIssuance)
		p.CoIssued = sd.CoIssued
	}
	if pf := recon.FactsOf[recon.PortsFacts](r, recon.ModulePorts); pf != nil {
		for _, h := range pf.Hosts {
			if ip, ok := parseIP(h.IP); ok && len(h.Hostnames) > 0 {
				if p.IPHostnames == nil {
					p.IPHostnames = map[string][]string{}
				}
				p.IPHostnames[ip.String()] = h.Hostnames
			}
		}
	}
	return p
}

// parseIP reads an address record: white space trimmed, an IPv4-mapped
// address unmapped, the zone dropped.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// appendHost adds address a to hosts once; with geo, a's AS number becomes
// asn (the last GeoIP record of an address wins).
func appendHost(hosts []Host, a netip.Addr, asn uint32, geo bool) []Host {
	i := slices.IndexFunc(hosts, func(h Host) bool { return h.Addr == a })
	if i < 0 {
		return append(hosts, Host{Addr: a, ASN: asn})
	}
	if geo {
		hosts[i].ASN = asn
	}
	return hosts
}

// edgeAddress reports whether addr ("ip:port") is a CDN edge.
func edgeAddress(addr string) bool {
	ap, err := netip.ParseAddrPort(addr)
	return err == nil && cdn.Provider(ap.Addr()) != ""
}

func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// NormNS normalises a name-server list to its set: lower case, no trailing
// dot, empty names dropped, each once, sorted.
func NormNS(in []string) []string {
	var out []string
	for _, n := range in {
		out = addValue(out, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(n)), "."))
	}
	slices.Sort(out)
	return out
}

// normName lower-cases a DNS name, trims white space and a trailing dot.
func normName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// RuaMailbox returns the mailbox of a DMARC report URI
// ("mailto:Reports@Example.com!10m" gives "reports@example.com"): lower
// case, without "mailto:" and the size limit; "" when the URI is not a
// mailto: address.
func RuaMailbox(uri string) string {
	u := strings.TrimSpace(uri)
	if len(u) < 7 || !strings.EqualFold(u[:7], "mailto:") {
		return ""
	}
	u = u[7:]
	if i := strings.LastIndexByte(u, '!'); i > 0 {
		u = u[:i]
	}
	u = strings.ToLower(strings.TrimSpace(u))
	if at := strings.LastIndexByte(u, '@'); at <= 0 || at == len(u)-1 {
		return ""
	}
	return strings.TrimSuffix(u, ".")
}

// NetOf returns the /24 of an IPv4 (or IPv4-mapped) address or the /48 of
// an IPv6 one, "" when ip does not parse.
func NetOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	a = a.Unmap()
	bits := 24
	if !a.Is4() {
		bits = 48
	}
	pfx, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return pfx.String()
}

// NormSpace folds every run of white space in s to one space and trims the
// ends.
func NormSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// FormatASN writes an AS number as "AS205100".
func FormatASN(n uint32) string { return "AS" + strconv.FormatUint(uint64(n), 10) }

// AppendUniq appends v to list unless it is already in it.
func AppendUniq(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// addValue appends v to list unless v is empty or already in it.
func addValue(list []string, v string) []string {
	if v == "" {
		return list
	}
	return AppendUniq(list, v)
}
