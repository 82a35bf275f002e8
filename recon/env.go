// env.go holds the Env (every address, client, key and limit a module
// reaches the network with), its limits and its real-mode defaults.

package recon

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"time"
)

// DialFunc opens a connection, like net.Dialer.DialContext.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Keys are the optional API keys. They are never written to sessions,
// exports, logs or error messages.
type Keys struct {
	VirusTotal  string `toml:"virustotal"`
	AbuseIPDB   string `toml:"abuseipdb"`
	Certspotter string `toml:"certspotter"`
	// SpamhausDQS is a Spamhaus Data Query Service key: blocklist questions
	// then go to <key>.zen.dq.spamhaus.net (and dbl), which answer through
	// any resolver. Never shown: zones are reported without it.
	SpamhausDQS string `toml:"spamhaus_dqs"`
}

// Loaded names the keys that are set (never their values).
func (k Keys) Loaded() []string {
	var out []string
	if k.VirusTotal != "" {
		out = append(out, "virustotal")
	}
	if k.AbuseIPDB != "" {
		out = append(out, "abuseipdb")
	}
	if k.Certspotter != "" {
		out = append(out, "certspotter")
	}
	if k.SpamhausDQS != "" {
		out = append(out, "spamhaus_dqs")
	}
	return out
}

// Limits bound every read and wait.
type Limits struct {
	ModuleTimeout time.Duration // per module of one scan
	DNSTimeout    time.Duration // per DNS exchange
	MaxBody       int64         // bytes of any HTTP body read
	MaxWhois      int64         // bytes of one WHOIS answer
	MaxRedirects  int           // HTTP redirects followed by the headers module
	SubdomainCap  int           // names kept by the subdomains module
	CTMaxPages    int           // Certspotter pages followed
	MaxSANs       int           // SANs kept per certificate
}

// DefaultLimits are the limits used unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{
		ModuleTimeout: 20 * time.Second,
		DNSTimeout:    4 * time.Second,
		MaxBody:       8 << 20,
		MaxWhois:      1 << 20,
		MaxRedirects:  5,
		SubdomainCap:  1000,
		CTMaxPages:    20,
		MaxSANs:       10000,
	}
}

// Env is the only way a module reaches the network: every address, client,
// database and limit a module uses comes from here. The lab builds an Env
// whose addresses point at loopback servers; the real Env points at the
// public services. The code paths are the same.
type Env struct {
	// Resolver is the recursive resolver, "host:port", or a DNS-over-HTTPS
	// URL ("https://host/dns-query", RFC 8484) asked through HTTP.
	Resolver string
	// Dial opens every TCP connection modules make (WHOIS, TLS, HTTP). Outside
	// the lab it refuses non-public addresses (see GuardedDialer).
	Dial DialFunc
	// HTTP is the client for third-party APIs and the headers module. Its
	// transport dials through Dial.
	HTTP *http.Client
	// RootCAs verifies certificates (nil: the system pool). The lab sets its CA.
	RootCAs *x509.CertPool
	// PublicRoots are the roots of the public web PKI. A chain that RootCAs
	// accepts but PublicRoots does not ends in a private root: a
	// TLS-inspecting proxy's. nil: that check is not made.
	PublicRoots *x509.CertPool

	// Proxy is the proxy URL (http:// or socks5://) that Dial and HTTP go
	// through, "" for none; shown without credentials. With a proxy set,
	// nothing is sent around it (no direct DNS to a zone's name servers).
	Proxy string

	// WhoisServer is the first WHOIS server asked ("whois.iana.org:43").
	WhoisServer string
	// RDAPBootstrapURL is the base of IANA's RDAP bootstrap files.
	RDAPBootstrapURL string

	// GeoIP holds the opened .mmdb readers, or nil.
	GeoIP *GeoDB
	// CymruOrigin, CymruOrigin6 and CymruASN are Team Cymru's DNS zones.
	CymruOrigin, CymruOrigin6, CymruASN string

	// CertspotterURL, CrtshURL and InternetDBURL are the bases of those APIs.
	CertspotterURL, CrtshURL, InternetDBURL string
	// VirusTotalURL and AbuseIPDBURL are the bases of the keyed sources.
	VirusTotalURL, AbuseIPDBURL string

	// DNSBLDomain and DNSBLIP are the blocklist zones asked for domains and IPs.
	DNSBLDomain, DNSBLIP []string
	// AbuseASNs maps abuse-tolerant ASNs to their name (Spamhaus ASN-DROP format).
	AbuseASNs map[uint32]string
	// AbuseASNSource says where AbuseASNs came from.
	AbuseASNSource string

	Keys   Keys
	Limits Limits

	// Lab is true when every address is a lab server.
	Lab bool
	// PassiveStrict runs no module that contacts the target itself.
	PassiveStrict bool
	// Now is the clock (tests and the lab fix it).
	Now func() time.Time

	// Sources counts requests per service and applies rate limits.
	Sources *Sources

	// Trace, when set, receives every DNS exchange (see TraceEvent); with
	// TraceDial around Dial it receives the TCP round trips too. For
	// measurements (the benchmarks' critical path); nil in normal use.
	Trace func(TraceEvent)
}

// Clock returns Now() or time.Now().
func (e *Env) Clock() time.Time {
	if e != nil && e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Default service addresses (real mode). The lab replaces every one of them.
const (
	DefaultWhoisServer      = "whois.iana.org:43"
	DefaultRDAPBootstrapURL = "https://data.iana.org/rdap/"
	DefaultCertspotterURL   = "https://api.certspotter.com"
	DefaultCrtshURL         = "https://crt.sh"
	DefaultInternetDBURL    = "https://internetdb.shodan.io"
	DefaultVirusTotalURL    = "https://www.virustotal.com"
	DefaultAbuseIPDBURL     = "https://api.abuseipdb.com"
)

// Defaults returns an Env with the real services' addresses, the default
// zones, limits and rate limits, and no resolver, dialer or HTTP client: the
// caller (real mode in cmd, or the lab) sets Resolver, Dial and HTTP.
func Defaults() *Env {
	return &Env{
		WhoisServer:      DefaultWhoisServer,
		RDAPBootstrapURL: DefaultRDAPBootstrapURL,
		CymruOrigin:      "origin.asn.cymru.com",
		CymruOrigin6:     "origin6.asn.cymru.com",
		CymruASN:         "asn.cymru.com",
		CertspotterURL:   DefaultCertspotterURL,
		CrtshURL:         DefaultCrtshURL,
		InternetDBURL:    DefaultInternetDBURL,
		VirusTotalURL:    DefaultVirusTotalURL,
		AbuseIPDBURL:     DefaultAbuseIPDBURL,
		DNSBLDomain:      []string{"dbl.spamhaus.org"},
		DNSBLIP:          []string{"zen.spamhaus.org"},
		Limits:           DefaultLimits(),
		Sources:          NewSources(DefaultRateLimits()),
	}
}
