package lab

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// World is everything the lab knows: domains with their DNS records, WHOIS
// data, certificates and HTTP answers; IP addresses with their geolocation,
// ASN, open ports and blocklist listings; the abuse-tolerant ASN list; and the
// TLD to registry WHOIS server map. It is decoded from JSON (see
// testdata/lab/README.md). Dates may be relative to the lab's clock.
type World struct {
	// Name and Description are shown to the user.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// TLDs maps a TLD ("com") to its registry WHOIS server ("whois.verisign-grs.com").
	TLDs map[string]string `json:"tlds,omitempty"`
	// Registrars maps a registrar WHOIS server name to the registrar's details,
	// so domains only name the server.
	Registrars map[string]*Registrar `json:"registrars,omitempty"`
	// Domains maps a registered domain name to its data.
	Domains map[string]*Domain `json:"domains"`
	// Certificates are generated at lab start, signed by the lab CA.
	Certificates []*Certificate `json:"certificates,omitempty"`
	// IPs maps an IP address to its metadata.
	IPs map[string]*IP `json:"ips,omitempty"`
	// AbuseASNs is the abuse-tolerant ASN list, in Spamhaus ASN-DROP shape.
	AbuseASNs []AbuseASN `json:"abuse_asns,omitempty"`
	// ServFail lists DNS names the resolver answers SERVFAIL for (a fault).
	ServFail []string `json:"servfail,omitempty"`
	// RateLimits make the lab's HTTP APIs answer 429 with Retry-After past
	// a number of requests per second (see RateLimit).
	RateLimits []RateLimit `json:"rate_limits,omitempty"`
	// ByteEscapes makes LoadWorld turn \xHH in the strings that carry
	// network data (TXT values, WHOIS raw answers, HTTP headers, bodies and
	// redirects, CT names, SANs, PTR names) into the byte HH, so a world
	// file can hold invalid UTF-8 and C1 bytes, which JSON cannot. "\\"
	// is one backslash.
	ByteEscapes bool `json:"byte_escapes,omitempty"`
}

// RateLimit makes the lab's API Service ("certspotter", "crtsh",
// "internetdb", "rdap", "keyed") answer 429 Too Many Requests, with a
// Retry-After of RetryAfter seconds (default 1), to every request beyond
// PerSecond in any one-second window. PerSecond 0 refuses every request.
// Service "whois" makes every WHOIS server but IANA's answer a registry's
// "WHOIS LIMIT EXCEEDED" text instead (RetryAfter is then unused).
type RateLimit struct {
	Service    string `json:"service"`
	PerSecond  int    `json:"per_second"`
	RetryAfter int    `json:"retry_after,omitempty"`
}

// Registrar describes an ICANN registrar.
type Registrar struct {
	Name       string `json:"name"`
	IANAID     int    `json:"iana_id,omitempty"`
	URL        string `json:"url,omitempty"`
	AbuseEmail string `json:"abuse_email,omitempty"`
	AbusePhone string `json:"abuse_phone,omitempty"`
}

// Domain is one registered domain of the world.
type Domain struct {
	// Records maps an owner name to record type to values in DNS
	// presentation format (without owner, TTL and class). The owner is "@"
	// for the domain itself, a relative name ("www", "_dmarc",
	// "_smtp._tls") or an absolute name ending in a dot. TXT values are the
	// plain text (split into 255-byte strings when longer).
	Records map[string]map[string][]string `json:"records,omitempty"`
	// TTL of every record (default 300).
	TTL uint32 `json:"ttl,omitempty"`
	// Whois is the registration data (nil: the registry has no match).
	Whois *Whois `json:"whois,omitempty"`
	// Cert is the id of the certificate served for this domain over TLS.
	Cert string `json:"cert,omitempty"`
	// HTTPS is the answer over TLS (port 443); HTTP the answer on port 80
	// (default: a 301 redirect to https).
	HTTPS *HTTPResponse `json:"https,omitempty"`
	HTTP  *HTTPResponse `json:"http,omitempty"`
	// Pages answers particular hosts or URLs of the domain, keyed by
	// "host/path" (exact) or "host" (any path), over HTTP and HTTPS, e.g.
	// "mta-sts.example.com/.well-known/mta-sts.txt".
	Pages map[string]*HTTPResponse `json:"pages,omitempty"`
	// CT lists extra certificates logged for the domain (beyond the world's
	// certificates), so subdomains can be expressed.
	CT []CTEntry `json:"ct,omitempty"`
	// DNSBL lists the domain on domain blocklists (dbl.spamhaus.org).
	DNSBL []Listing `json:"dnsbl,omitempty"`

	// Hostile answers and faults (see testdata/lab/README.md).

	// WhoisBytes makes the registry and registrar WHOIS servers answer a
	// generated answer of this many bytes for the domain (streamed).
	WhoisBytes int64 `json:"whois_bytes,omitempty"`
	// CTBytes makes Certspotter and crt.sh answer a query about the domain
	// with a streamed JSON array of this many bytes (never held in memory).
	CTBytes int64 `json:"ct_bytes,omitempty"`
	// HeaderBomb adds about this many bytes of response headers to every
	// HTTP and HTTPS answer of the domain.
	HeaderBomb int `json:"header_bomb,omitempty"`
	// RedirectLoop makes every HTTP and HTTPS URL of the domain redirect:
	// "/" to "/loop", anything else back to "/".
	RedirectLoop bool `json:"redirect_loop,omitempty"`
	// TLSStall makes the TLS server read the ClientHello for the domain's
	// name and then never answer (until the client gives up).
	TLSStall bool `json:"tls_stall,omitempty"`
	// DNSGarbage makes the resolver answer every query for a name of the
	// domain with bytes that do not parse as a DNS message.
	DNSGarbage bool `json:"dns_garbage,omitempty"`
}

// Whois is the structured registration data of a domain. The lab writes
// the registry's thin answer and the registrar's thick answer from it.
type Whois struct {
	// Registrar details; when empty they come from World.Registrars[RegistrarWhoisServer].
	Registrar       string `json:"registrar,omitempty"`
	RegistrarIANAID int    `json:"registrar_iana_id,omitempty"`
	RegistrarURL    string `json:"registrar_url,omitempty"`
	// RegistrarWhoisServer is the registrar's WHOIS server (a lab listener).
	RegistrarWhoisServer string `json:"registrar_whois_server,omitempty"`
	// RegistryWhoisServer overrides World.TLDs for this domain.
	RegistryWhoisServer string `json:"registry_whois_server,omitempty"`
	Created             Date   `json:"created"`
	Updated             Date   `json:"updated,omitempty"`
	Expires             Date   `json:"expires,omitempty"`
	// Status are EPP codes ("clientTransferProhibited").
	Status []string `json:"status,omitempty"`
	// NameServers default to the domain's NS records.
	NameServers []string `json:"name_servers,omitempty"`
	// Privacy redacts the registrant behind PrivacyService (default
	// "Withheld for Privacy ehf").
	Privacy        bool   `json:"privacy,omitempty"`
	PrivacyService string `json:"privacy_service,omitempty"`
	// Registrant details shown when Privacy is false.
	RegistrantOrg     string `json:"registrant_org,omitempty"`
	RegistrantState   string `json:"registrant_state,omitempty"`
	RegistrantCountry string `json:"registrant_country,omitempty"`
	// DNSSEC is "unsigned" unless set.
	DNSSEC string `json:"dnssec,omitempty"`
	// Raw, when set, is the registrar's answer verbatim; RegistryRaw the registry's.
	Raw         string `json:"raw,omitempty"`
	RegistryRaw string `json:"registry_raw,omitempty"`
}

// HTTPResponse is what a world web server answers for a host.
type HTTPResponse struct {
	Status  int               `json:"status,omitempty"` // default 200 (301 with Redirect)
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
	// BodyBase64 is a binary body (an icon, an image) in standard base64;
	// it replaces Body.
	BodyBase64 string `json:"body_base64,omitempty"`
	// Redirect sets Location (and status 301 unless Status is a 3xx).
	Redirect string `json:"redirect,omitempty"`
}

// Certificate is a certificate the lab generates at start. Its issuer is a
// lab intermediate named Issuer ("C=US, O=Let's Encrypt, CN=R11") signed by
// the lab root, unless SelfSigned.
type Certificate struct {
	ID         string   `json:"id"`
	CN         string   `json:"cn,omitempty"` // default: the first SAN
	SANs       []string `json:"sans"`
	Issuer     string   `json:"issuer,omitempty"` // default "C=US, O=Let's Encrypt, CN=R11"
	NotBefore  Date     `json:"not_before,omitempty"`
	NotAfter   Date     `json:"not_after,omitempty"`
	SelfSigned bool     `json:"self_signed,omitempty"`
	// Expired moves the validity into the past when dates are not given.
	Expired bool `json:"expired,omitempty"`
	// ManySANs adds this many generated SANs ("s00042.<first SAN>"), for
	// certificates too large to write out.
	ManySANs int `json:"many_sans,omitempty"`
	// Key names the certificate's private key: certificates with the same
	// Key share one key pair (the pubkey cluster key); default: the
	// certificate's own key.
	Key string `json:"key,omitempty"`
}

// CTEntry is one extra Certificate Transparency issuance.
type CTEntry struct {
	Name      string   `json:"name,omitempty"`
	Names     []string `json:"names,omitempty"`
	Issuer    string   `json:"issuer,omitempty"`
	NotBefore Date     `json:"not_before,omitempty"`
	NotAfter  Date     `json:"not_after,omitempty"`
}

// IP is one address of the world.
type IP struct {
	PTR         string `json:"ptr,omitempty"`
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	City        string `json:"city,omitempty"`
	ASN         uint32 `json:"asn,omitempty"`
	// ASOrg is GeoLite2-ASN's autonomous_system_organization; ASName is
	// Team Cymru's AS name (default "<ASOrg>, <CC>").
	ASOrg  string `json:"as_org,omitempty"`
	ASName string `json:"as_name,omitempty"`
	// Network is the announced prefix ("185.220.101.0/24"; default /32 or /128).
	Network   string `json:"network,omitempty"`
	Registry  string `json:"registry,omitempty"` // ripencc, arin, apnic, lacnic, afrinic
	Allocated Date   `json:"allocated,omitempty"`
	// InternetDB data.
	Ports     []int    `json:"ports,omitempty"`
	CPEs      []string `json:"cpes,omitempty"`
	Hostnames []string `json:"hostnames,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Vulns     []string `json:"vulns,omitempty"`
	// DNSBL lists the IP on IP blocklists (zen.spamhaus.org).
	DNSBL []Listing `json:"dnsbl,omitempty"`
	// Cert is the id of the certificate the IP presents to a client that
	// sends no SNI (or an SNI no certificate covers); default: the
	// certificate of the first domain, by name, that resolves to the IP.
	Cert string `json:"cert,omitempty"`
}

// Listing is one blocklist entry: the A answer Code (127.0.0.2) in Zone,
// with a TXT Text (a default is written when empty).
type Listing struct {
	Zone  string `json:"zone,omitempty"` // default zen.spamhaus.org (IPs) / dbl.spamhaus.org (domains)
	Code  string `json:"code"`
	Text  string `json:"text,omitempty"`
	Since Date   `json:"since,omitempty"`
}

// AbuseASN is one line of Spamhaus' ASN-DROP JSON-lines list.
type AbuseASN struct {
	ASN    uint32 `json:"asn"`
	RIR    string `json:"rir,omitempty"`
	Domain string `json:"domain,omitempty"`
	CC     string `json:"cc,omitempty"`
	ASName string `json:"asname,omitempty"`
}

// Date is a world date: absolute ("2024-11-14", RFC 3339) or relative to
// the lab's clock ("-16d", "+2y", "-3mo", "-12h", "now"). Units: s, m
// (minutes), h, d, w, mo (months), y.
type Date struct {
	abs time.Time
	n   int
	//unit is "" for absolute dates.
	unit string
	set  bool
}

// ParseDate parses a world date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if s == "now" {
		return Date{unit: "s", set: true}, nil
	}
	if s[0] == '-' || s[0] == '+' {
		i := 1
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(s[1:i])
		unit := s[i:]
		switch unit {
		case "s", "m", "h", "d", "w", "mo", "y":
		default:
			err = errors.New("unknown unit")
		}
		if err != nil || i == 1 {
			return Date{}, fmt.Errorf("bad date %q: a relative date is a sign, a number and a unit (s, m, h, d, w, mo, y), e.g. -16d", s)
		}
		if s[0] == '-' {
			n = -n
		}
		return Date{n: n, unit: unit, set: true}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{abs: t.UTC(), set: true}, nil
		}
	}
	return Date{}, fmt.Errorf("bad date %q: use a relative date (-16d, +1y) or 2006-01-02 or RFC 3339", s)
}

// MustDate is ParseDate that panics; for literals in tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return !d.set }

// At resolves the date against now (UTC). A zero Date gives the zero time.
func (d Date) At(now time.Time) time.Time {
	if !d.set {
		return time.Time{}
	}
	if d.unit == "" {
		return d.abs
	}
	now = now.UTC()
	switch d.unit {
	case "s":
		return now.Add(time.Duration(d.n) * time.Second)
	case "m":
		return now.Add(time.Duration(d.n) * time.Minute)
	case "h":
		return now.Add(time.Duration(d.n) * time.Hour)
	case "d":
		return now.AddDate(0, 0, d.n)
	case "w":
		return now.AddDate(0, 0, 7*d.n)
	case "mo":
		return now.AddDate(0, d.n, 0)
	default:
		return now.AddDate(d.n, 0, 0)
	}
}

// String gives the date as written.
func (d Date) String() string {
	switch {
	case !d.set:
		return ""
	case d.unit == "":
		return d.abs.Format(time.RFC3339)
	case d.n >= 0:
		return "+" + strconv.Itoa(d.n) + d.unit
	default:
		return strconv.Itoa(d.n) + d.unit
	}
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("bad date %s: a date is a string such as \"-16d\" or \"2024-11-14\"", b)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// ErrWorld is wrapped by every world-file error.
var ErrWorld = errors.New("lab: bad world file")

// LoadWorld decodes and checks a world. Unknown fields, bad dates, bad IP
// addresses, unparsable records and dangling references are errors that say
// where the problem is.
func LoadWorld(r io.Reader) (*World, error) {
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	dec.DisallowUnknownFields()
	var w World
	if err := dec.Decode(&w); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: JSON syntax error at byte %d: %v", ErrWorld, se.Offset, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrWorld, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: extra data after the world object", ErrWorld)
	}
	if w.ByteEscapes {
		applyByteEscapes(&w)
	}
	if _, err := compile(&w, time.Now()); err != nil {
		return nil, err
	}
	return &w, nil
}

// LoadWorldFile reads a world from a file.
func LoadWorldFile(path string) (*World, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lab: open world: %w", err)
	}
	defer f.Close()
	w, err := LoadWorld(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

//go:embed worlds/demo.json
var demoJSON []byte

// DemoJSON returns the embedded demo world file.
func DemoJSON() []byte { return bytes.Clone(demoJSON) }

// Demo returns a fresh copy of the embedded demo world: nova-parcels.com,
// nova-tracking.net and nova-returns.co (one operator), plus an old,
// well-run domain (meridian-freight.com) and a Cloudflare-proxied one
// (parcelpoint-status.com).
func Demo() *World {
	w, err := LoadWorld(bytes.NewReader(demoJSON))
	if err != nil {
		panic("lab: the embedded demo world is invalid: " + err.Error())
	}
	return w
}
