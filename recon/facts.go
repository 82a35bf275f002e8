package recon

import (
	"encoding/json"
	"strings"
	"time"
)

// The typed facts of each module. Every string that came from the network is
// stored here unchanged; it is sanitised only when displayed.

// DNSFacts are the records the dns module found.
type DNSFacts struct {
	Name  string      `json:"name"`
	A     []string    `json:"a,omitempty"`
	AAAA  []string    `json:"aaaa,omitempty"`
	CNAME []string    `json:"cname,omitempty"` // the chain, in order
	MX    []MXRecord  `json:"mx,omitempty"`
	NS    []string    `json:"ns,omitempty"`
	TXT   []string    `json:"txt,omitempty"` // character-strings joined
	SOA   *SOARecord  `json:"soa,omitempty"`
	CAA   []CAARecord `json:"caa,omitempty"`
	PTR   []string    `json:"ptr,omitempty"` // IP targets: reverse names
	// AddrPTR are, for a domain target, the reverse names of its first
	// MaxAddrPTR public addresses (a numbered shared-hosting server name
	// says the address is shared); an address without one is left out.
	AddrPTR  map[string][]string `json:"addr_ptr,omitempty"`
	NXDomain bool                `json:"nxdomain,omitempty"`
	// Verifications are the site-verification tokens among TXT.
	Verifications []VerifyToken `json:"verifications,omitempty"`
	// Rewritten holds the A answers a rewriting resolver gave although the
	// name does not exist (NXDOMAIN rewriting): evidence, never pivots.
	Rewritten []string `json:"nxdomain_rewritten,omitempty"`
	// Errors holds a per-type failure ("MX": "SERVFAIL from 127.0.0.1:53");
	// NXDOMAIN and empty answers are results, not errors.
	Errors map[string]string `json:"errors,omitempty"`
}

// MaxAddrPTR is how many of a domain's addresses get a reverse look-up.
const MaxAddrPTR = 4

// MXRecord is one mail exchanger.
type MXRecord struct {
	Host string `json:"host"`
	Pref uint16 `json:"pref"`
}

// SOARecord is the start of authority of a zone.
type SOARecord struct {
	NS      string `json:"ns"`
	Mbox    string `json:"mbox"`
	Serial  uint32 `json:"serial"`
	Refresh uint32 `json:"refresh"`
	Retry   uint32 `json:"retry"`
	Expire  uint32 `json:"expire"`
	MinTTL  uint32 `json:"minttl"`
}

// CAARecord is one certification authority authorisation.
type CAARecord struct {
	Flag  uint8  `json:"flag"`
	Tag   string `json:"tag"`
	Value string `json:"value"`
}

// WhoisFacts are the registration data of a domain.
type WhoisFacts struct {
	Domain string `json:"domain"`
	// Registered is true when a registration record was read. With
	// Registration it is written as "registered": true/false only when a
	// registry answered; when no registry could be asked (an error, a rate
	// limit) the JSON has no "registered" at all: could-not-check is never
	// "free".
	Registered bool `json:"registered"`
	// Registration is RegRegistered, RegFree (the registry said the name is
	// not registered) or RegUnknown (no registry answered). Empty is read as
	// RegRegistered when Registered is set, else RegUnknown.
	Registration    string `json:"registration,omitempty"`
	Registrar       string `json:"registrar,omitempty"`
	RegistrarIANAID string `json:"registrar_iana_id,omitempty"`
	// RegistrarHandle is the registry's handle of the registrar where it
	// gives one beside the name (.it "MARKMONITOR-REG", .sk "MARK-0292",
	// .ua "ua.markmonitor"); Registrar is then the name.
	RegistrarHandle string     `json:"registrar_handle,omitempty"`
	RegistrarURL    string     `json:"registrar_url,omitempty"`
	Created         *time.Time `json:"created,omitempty"`
	Updated         *time.Time `json:"updated,omitempty"`
	Expires         *time.Time `json:"expires,omitempty"`
	Status          []string   `json:"status,omitempty"`
	NameServers     []string   `json:"name_servers,omitempty"`
	// Privacy is true when the record names a privacy service. It is
	// written as "privacy": true/false only when the record read holds
	// registrant data (RegistrantRead); a thin registry record (the
	// registrar's could not be read) says nothing about privacy, and its
	// JSON has no "privacy" at all.
	Privacy         bool   `json:"privacy"`
	PrivacyEvidence string `json:"privacy_evidence,omitempty"`
	// RegistrantRead is true when the record holds registrant data
	// (a registrant contact, redacted or not, or a privacy service).
	RegistrantRead    bool   `json:"-"`
	RegistrantOrg     string `json:"registrant_org,omitempty"`
	RegistrantCountry string `json:"registrant_country,omitempty"`
	// Platform is set when the target is a host under a platform suffix
	// of the public suffix list (pages.dev, github.io): the record is the
	// platform's (Domain is the ICANN-registered domain), not the site
	// owner's, and is never used for verdicts or clusters.
	Platform string   `json:"platform,omitempty"`
	Source   string   `json:"source"`            // "whois" or "rdap"
	Servers  []string `json:"servers,omitempty"` // servers asked, in referral order
	Raw      string   `json:"raw,omitempty"`     // raw evidence (WHOIS text or RDAP JSON)
}

// Registration states of a domain (WhoisFacts.Registration).
const (
	RegRegistered = "registered" // a registration record was read
	RegFree       = "free"       // the registry answered that the name is not registered
	RegUnknown    = "unknown"    // no registry answered: could not check
)

// State returns the registration state: RegRegistered, RegFree or
// RegUnknown. A nil receiver is RegUnknown.
func (f *WhoisFacts) State() string {
	switch {
	case f == nil:
		return RegUnknown
	case f.Registered:
		return RegRegistered
	case f.Registration == RegFree:
		return RegFree
	}
	return RegUnknown
}

// Own returns f when the record is the target's own registration, nil when
// it is a platform's (the target is a site under pages.dev, github.io, ...)
// or f is nil. Verdicts and clusters read WHOIS through Own.
func (f *WhoisFacts) Own() *WhoisFacts {
	if f == nil || f.Platform != "" {
		return nil
	}
	return f
}

// IsFree reports whether a registry answered that the name is not registered.
func (f *WhoisFacts) IsFree() bool { return f.State() == RegFree }

// whoisJSON is WhoisFacts as written: "registered" and "privacy" only
// when known.
type whoisJSON struct {
	whoisAlias
	Registered *bool `json:"registered,omitempty"`
	Privacy    *bool `json:"privacy,omitempty"`
}

// PrivacyKnown reports whether the record says whether the registrant is
// behind a privacy service: it named one, or it holds registrant data.
func (f *WhoisFacts) PrivacyKnown() bool { return f != nil && (f.Privacy || f.RegistrantRead) }

type whoisAlias WhoisFacts

// MarshalJSON writes "registration" always and "registered" only when a
// registry answered (true or false); never false for could-not-check.
func (f WhoisFacts) MarshalJSON() ([]byte, error) {
	st := f.State()
	out := whoisJSON{whoisAlias: whoisAlias(f)}
	out.whoisAlias.Registration = st
	if st != RegUnknown {
		b := st == RegRegistered
		out.Registered = &b
	}
	if f.PrivacyKnown() {
		out.Privacy = &f.Privacy
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads both shapes: with "registration", and the older one
// with only "registered" (false then meant free, or, in a failed module's
// facts, nothing: Report.UnmarshalJSON downgrades those to unknown).
func (f *WhoisFacts) UnmarshalJSON(b []byte) error {
	var in whoisJSON
	if err := decodeValue(b, &in); err != nil {
		return err
	}
	*f = WhoisFacts(in.whoisAlias)
	f.Registered = in.Registered != nil && *in.Registered
	f.Privacy = in.Privacy != nil && *in.Privacy
	f.RegistrantRead = in.Privacy != nil // older files always wrote it
	switch {
	case f.Registered:
		f.Registration = RegRegistered
	case f.Registration == RegFree || (f.Registration == "" && in.Registered != nil):
		f.Registration = RegFree
	default:
		f.Registration = RegUnknown
	}
	return nil
}

// SPFUnread reports whether the SPF question (TXT of the domain) could not
// be answered: "unknown", never "none".
func (f *EmailFacts) SPFUnread() bool { return f != nil && f.SPF == nil && f.Errors["TXT"] != "" }

// DMARCUnread reports whether the DMARC question could not be answered.
func (f *EmailFacts) DMARCUnread() bool {
	return f != nil && f.DMARC == nil && f.Errors["_dmarc TXT"] != ""
}

// SpoofUnknown reports whether it is unknown if the domain can be
// spoofed: SPF or DMARC could not be read, so Spoofable false is no verdict.
func (f *EmailFacts) SpoofUnknown() bool {
	return f != nil && !f.Spoofable && (f.SPFUnread() || f.DMARCUnread() || (f.Posture == "" && strings.HasPrefix(f.SpoofReason, "unknown")))
}

// emailJSON is EmailFacts as written, in its field order: a yes/no or
// count whose question went unanswered is left out, not written as false
// or 0 (TestEmailJSONKeepsEveryField keeps it in step with EmailFacts).
type emailJSON struct {
	Domain      string            `json:"domain"`
	HasMX       *bool             `json:"has_mx,omitempty"`
	NullMX      bool              `json:"null_mx,omitempty"`
	MX          []string          `json:"mx,omitempty"`
	SPF         *SPFRecord        `json:"spf,omitempty"`
	SPFCount    *int              `json:"spf_count,omitempty"`
	DMARC       *DMARCRecord      `json:"dmarc,omitempty"`
	MTASTS      *bool             `json:"mta_sts,omitempty"`
	MTASTSID    string            `json:"mta_sts_id,omitempty"`
	MTASTSProb  string            `json:"mta_sts_problem,omitempty"`
	TLSRPT      *bool             `json:"tls_rpt,omitempty"`
	Spoofable   *bool             `json:"spoofable,omitempty"`
	SpoofReason string            `json:"spoof_reason"`
	Posture     string            `json:"posture"`
	Errors      map[string]string `json:"errors,omitempty"`
}

// MarshalJSON writes has_mx, spf_count, mta_sts, tls_rpt and spoofable
// only when their questions were answered (Errors names the others): a
// script reading "spoofable": false or "mta_sts": false takes it as a
// finding. Reading back, an absent one is false or 0, with Errors kept.
func (f EmailFacts) MarshalJSON() ([]byte, error) {
	known := func(b bool, read bool) *bool {
		if !read && !b {
			return nil
		}
		return &b
	}
	out := emailJSON{Domain: f.Domain, NullMX: f.NullMX, MX: f.MX, SPF: f.SPF, DMARC: f.DMARC, MTASTSID: f.MTASTSID, MTASTSProb: f.MTASTSProblem,
		SpoofReason: f.SpoofReason, Posture: f.Posture, Errors: f.Errors,
		HasMX:     known(f.HasMX, f.Errors["MX"] == ""),
		MTASTS:    known(f.MTASTS, f.Errors["_mta-sts TXT"] == ""),
		TLSRPT:    known(f.TLSRPT, f.Errors["_smtp._tls TXT"] == ""),
		Spoofable: known(f.Spoofable, !f.SpoofUnknown()),
	}
	if !f.SPFUnread() {
		out.SPFCount = &f.SPFCount
	}
	return json.Marshal(out)
}

// GeoFacts holds one entry per address of the target.
type GeoFacts struct {
	IPs []IPGeo `json:"ips"`
	// Hint explains how to get better data (e.g. where to put GeoLite2) when
	// no database was found.
	Hint string `json:"hint,omitempty"`
}

// IPGeo is location and routing data of one address.
type IPGeo struct {
	IP          string   `json:"ip"`
	Country     string   `json:"country,omitempty"`
	CountryCode string   `json:"country_code,omitempty"`
	City        string   `json:"city,omitempty"`
	ASN         uint32   `json:"asn,omitempty"`
	ASOrg       string   `json:"as_org,omitempty"`
	Network     string   `json:"network,omitempty"` // CIDR
	Registry    string   `json:"registry,omitempty"`
	Allocated   string   `json:"allocated,omitempty"`
	Sources     []string `json:"sources,omitempty"` // "mmdb", "cymru"
}

// EmailFacts describe whether a domain can receive mail and be spoofed.
type EmailFacts struct {
	Domain   string       `json:"domain"`
	HasMX    bool         `json:"has_mx"`
	NullMX   bool         `json:"null_mx,omitempty"` // RFC 7505 "MX 0 ."
	MX       []string     `json:"mx,omitempty"`
	SPF      *SPFRecord   `json:"spf,omitempty"`
	SPFCount int          `json:"spf_count"` // more than one is a permerror
	DMARC    *DMARCRecord `json:"dmarc,omitempty"`
	MTASTS   bool         `json:"mta_sts"`
	MTASTSID string       `json:"mta_sts_id,omitempty"`
	// MTASTSProblem says why the _mta-sts records that were read give no
	// policy (several v=STSv1 records: RFC 8461 §3.1 has senders ignore
	// them all); MTASTS is then false, a finding, not an unread question.
	MTASTSProblem string `json:"mta_sts_problem,omitempty"`
	TLSRPT        bool   `json:"tls_rpt"`
	Spoofable     bool   `json:"spoofable"`
	// SpoofReason says in words why the domain can or cannot be spoofed.
	SpoofReason string `json:"spoof_reason"`
	// Posture is a short stable key for clustering, e.g. "spf:none dmarc:none".
	Posture string `json:"posture"`
	// Errors holds a per-question failure ("_mta-sts TXT": "SERVFAIL from ...").
	Errors map[string]string `json:"errors,omitempty"`
}

// SPFRecord is a parsed SPF TXT record.
type SPFRecord struct {
	Raw        string         `json:"raw"`
	Mechanisms []SPFMechanism `json:"mechanisms"`
	All        string         `json:"all,omitempty"` // "-all", "~all", "?all", "+all" or "" when absent
	Redirect   string         `json:"redirect,omitempty"`
	Lookups    int            `json:"lookups"` // DNS-querying terms (RFC 7208 §4.6.4 limit 10)
	Errors     []string       `json:"errors,omitempty"`
	// Modifiers are the name=value terms (redirect, exp and unknown ones), in order.
	Modifiers []SPFModifier `json:"modifiers,omitempty"`
	// Warnings are problems receivers tolerate (terms after all, unknown
	// modifiers, ptr); unlike Errors they do not break the record.
	Warnings []string `json:"warnings,omitempty"`
}

// SPFModifier is one name=value term of an SPF record.
type SPFModifier struct {
	Name  string `json:"name"` // lower case
	Value string `json:"value"`
}

// SPFMechanism is one term of an SPF record.
type SPFMechanism struct {
	Qualifier string `json:"qualifier"` // "+", "-", "~", "?"
	Name      string `json:"name"`      // all, include, a, mx, ptr, ip4, ip6, exists
	Value     string `json:"value,omitempty"`
}

// DMARCRecord is a parsed DMARC record.
type DMARCRecord struct {
	Raw             string   `json:"raw"`
	Policy          string   `json:"policy"` // none, quarantine, reject
	SubdomainPolicy string   `json:"subdomain_policy,omitempty"`
	Pct             int      `json:"pct"`
	RUA             []string `json:"rua,omitempty"`
	RUF             []string `json:"ruf,omitempty"`
	// From names the organisational domain whose record applies when the
	// name itself has none (RFC 7489 §6.6.3); Policy is then its sp= (or p=).
	From   string   `json:"from,omitempty"`
	Errors []string `json:"errors,omitempty"`
}

// SSLFacts hold the certificate seen on each address.
type SSLFacts struct {
	Certs []CertFacts `json:"certs"`
	// Skipped lists addresses not contacted and why (non-public address,
	// passive-strict).
	Skipped []string `json:"skipped,omitempty"`
	// FromCT is true when the certificate facts come from Certificate
	// Transparency instead of a handshake (passive-strict).
	FromCT bool `json:"from_ct,omitempty"`
	// Intercepted is set when a TLS-inspecting proxy answered instead of
	// the site: its certificates are kept there as evidence, never in
	// Certs; Certs then come from Certificate Transparency (FromCT).
	Intercepted *Interception `json:"intercepted,omitempty"`
}

// CertFacts describe one leaf certificate.
type CertFacts struct {
	Address      string    `json:"address"` // ip:port contacted
	ServerName   string    `json:"server_name"`
	Subject      string    `json:"subject"`
	Issuer       string    `json:"issuer"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	DaysLeft     int       `json:"days_left"`
	SHA256       string    `json:"sha256"`        // of the DER, lower-case hex
	PubkeySHA256 string    `json:"pubkey_sha256"` // of the SubjectPublicKeyInfo
	SANs         []string  `json:"sans"`
	// SANsTotal is the number of DNS SANs in the certificate; when it is
	// larger than len(SANs), the list was cut at Limits.MaxSANs (SANsCut).
	SANsTotal    int    `json:"sans_total,omitempty"`
	SANsCut      bool   `json:"sans_cut,omitempty"`
	Verified     bool   `json:"verified"`
	VerifyError  string `json:"verify_error,omitempty"`
	SelfSigned   bool   `json:"self_signed"`
	Expired      bool   `json:"expired"`
	NameMismatch bool   `json:"name_mismatch"`
	PEM          string `json:"pem,omitempty"` // evidence
}

// SubdomainFacts are the names Certificate Transparency knows under a domain.
type SubdomainFacts struct {
	Names  []string `json:"names"`
	Source string   `json:"source"` // "certspotter" or "crtsh"
	Total  int      `json:"total"`  // distinct names seen before capping
	Capped bool     `json:"capped"`
	Cap    int      `json:"cap"`
	Pages  int      `json:"pages"`
	// FirstIssuance is the earliest not-before seen in CT, if any.
	FirstIssuance *time.Time `json:"first_issuance,omitempty"`
	Fallback      string     `json:"fallback,omitempty"` // why the fallback source was used
	// CoIssued are the certificates logged in CT whose SANs span this
	// domain and other registrable domains: one certificate issued for
	// several domains links them (a cluster key). At most MaxCoIssued.
	CoIssued []CoIssuedCert `json:"co_issued,omitempty"`
}

// MaxCoIssued caps SubdomainFacts.CoIssued and each certificate's Domains.
const MaxCoIssued = 64

// CoIssuedCert is one certificate seen in Certificate Transparency whose
// SANs name several registrable domains.
type CoIssuedCert struct {
	// SHA256 is the certificate's fingerprint (lower-case hex); when CT
	// gave none, "ct-id:" and the log service's issuance id.
	SHA256       string `json:"sha256"`
	PubkeySHA256 string `json:"pubkey_sha256,omitempty"`
	// Domains are the registrable domains of the SANs (the queried one
	// included), sorted, at most MaxCoIssued; DomainsTotal counts them all.
	Domains      []string  `json:"domains"`
	DomainsTotal int       `json:"domains_total"`
	NotBefore    time.Time `json:"not_before,omitempty"`
}

// ThreatFacts are blocklist listings of the domain and its addresses.
type ThreatFacts struct {
	Checks []DNSBLCheck `json:"checks"`
	// Tests are the lists' test points, checked once per run before any
	// "not listed" is trusted.
	Tests []DNSBLTest   `json:"tests,omitempty"`
	ASN   []ASNFlag     `json:"asn,omitempty"`
	Keyed []KeyedResult `json:"keyed,omitempty"`
}

// DNSBL check results.
const (
	DNSBLListed  = "listed"
	DNSBLClean   = "clean"
	DNSBLUnknown = "unknown"
)

// DNSBLCheck is one look-up of one subject in one zone.
type DNSBLCheck struct {
	Subject  string   `json:"subject"` // domain or IP
	Zone     string   `json:"zone"`
	Result   string   `json:"result"`             // listed, clean, unknown
	Codes    []string `json:"codes,omitempty"`    // answers, e.g. 127.0.0.2
	Meanings []string `json:"meanings,omitempty"` // decoded, e.g. "SBL: Spamhaus Block List"
	Policy   bool     `json:"policy,omitempty"`   // only policy listings (PBL), not abuse
	TXT      string   `json:"txt,omitempty"`
	Reason   string   `json:"reason,omitempty"` // for unknown: "resolver refused (127.255.255.254)"
	Since    string   `json:"since,omitempty"`  // when the listing started, where known
	// Refused is set when the list refused to answer (a refusal code such
	// as 127.255.255.254): Result is then unknown.
	Refused bool `json:"refused,omitempty"`
	// Via says how the list was asked when not through the resolver
	// ("the zone's name servers", "Spamhaus DQS").
	Via string `json:"via,omitempty"`
}

// DNSBLTest is the outcome of one list's RFC 5782 test points.
type DNSBLTest struct {
	Zone string `json:"zone"`
	// OK: the listed test point was listed and the unlisted one was not.
	OK bool `json:"ok"`
	// Detail says what the test points gave.
	Detail string `json:"detail"`
	// Via is how the list was asked ("resolver", "the zone's name servers", "Spamhaus DQS").
	Via string `json:"via"`
}

// ASNFlag says that a hosting ASN is on an abuse-tolerant list.
type ASNFlag struct {
	ASN    uint32 `json:"asn"`
	Org    string `json:"org,omitempty"`
	IP     string `json:"ip"`
	Source string `json:"source"`
}

// KeyedResult is the outcome of an optional keyed source (VirusTotal, AbuseIPDB).
type KeyedResult struct {
	Source    string `json:"source"`
	Status    Status `json:"status"`
	Detail    string `json:"detail"`
	Malicious bool   `json:"malicious"`
}

// PortsFacts hold what InternetDB knows per address.
type PortsFacts struct {
	Hosts []HostPorts `json:"hosts"`
}

// HostPorts is InternetDB's record of one address.
type HostPorts struct {
	IP        string   `json:"ip"`
	NoData    bool     `json:"no_data,omitempty"` // 404: InternetDB has nothing (a result, not an error)
	Ports     []int    `json:"ports,omitempty"`
	CPEs      []string `json:"cpes,omitempty"`
	Hostnames []string `json:"hostnames,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Vulns     []string `json:"vulns,omitempty"`
	CDN       string   `json:"cdn,omitempty"` // "cloudflare" when the address is a CDN edge
}

// HeadersFacts describe the site's HTTP response.
type HeadersFacts struct {
	URL        string   `json:"url"`
	FinalURL   string   `json:"final_url,omitempty"`
	StatusCode int      `json:"status_code,omitempty"`
	Redirects  []string `json:"redirects,omitempty"`
	// HTTPSError says why https:// failed when the facts come from the
	// plain http:// fallback.
	HTTPSError         string        `json:"https_error,omitempty"`
	Security           []HeaderCheck `json:"security"`
	Server             string        `json:"server,omitempty"`
	PoweredBy          string        `json:"powered_by,omitempty"`
	Tech               []string      `json:"tech,omitempty"`
	Cloudflare         bool          `json:"cloudflare"`
	CloudflareEvidence string        `json:"cloudflare_evidence,omitempty"`
	// Parking is the phrase that marks the page as a parking or "for
	// sale" page (recon.ParkingPage), "" when it is not one.
	Parking string              `json:"parking,omitempty"`
	Raw     map[string][]string `json:"raw,omitempty"` // evidence: the response headers as received

	// Page fingerprints (package recon/fingerprint), read from the body
	// of the last response (at most MaxBody bytes).
	//
	// Title is the page's <title>, entities decoded, white space folded.
	Title string `json:"title,omitempty"`
	// PageHash is the SHA-256 (hex) of the normalised body: scripts,
	// styles, comments, nonces, CSRF tokens, long random tokens and the
	// site's own host name removed, white space folded (the phishing-kit
	// fingerprint); PageSize is the length of that normalised text.
	PageHash string `json:"page_hash,omitempty"`
	PageSize int    `json:"page_size,omitempty"`
	// PageDefault names the stock page this is ("nginx welcome page"):
	// shared by every fresh install, so its hash links nothing.
	PageDefault string `json:"page_default,omitempty"`
	// Analytics are the analytics and advertising IDs found in the page.
	Analytics []AnalyticsID `json:"analytics,omitempty"`
	// Verifications are site-verification tokens of <meta> tags.
	Verifications []VerifyToken `json:"verifications,omitempty"`
	// Favicon is the site's icon; nil when there is none or it could not
	// be read, FaviconError then says which ("could not check" is not
	// "no favicon").
	Favicon      *FaviconFacts `json:"favicon,omitempty"`
	FaviconError string        `json:"favicon_error,omitempty"`
}

// AnalyticsID is one analytics or advertising account ID found in a page.
type AnalyticsID struct {
	// Service names the product: "google-analytics", "google-tag-manager",
	// "google-ads", "adsense", "meta-pixel", "yandex-metrika", "hotjar",
	// "matomo", "clarity", "tiktok-pixel", "linkedin-insight",
	// "pinterest-tag", "twitter-pixel", "snap-pixel", "baidu-tongji",
	// "statcounter".
	Service string `json:"service"`
	// ID is the ID as found ("UA-1234567-2", "G-ABC123XYZ9", "1234567890").
	ID string `json:"id"`
	// Key is the value an operator's sites share, the cluster key after
	// "analytics:": the ID itself when it names its product ("UA-1234567"
	// — the account, without the property —, "G-…", "GTM-…", "AW-…",
	// "ca-pub-…"), else "<service prefix>:<id>" ("fb:1234567890",
	// "ym:12345678", "matomo:stats.example.net").
	Key string `json:"key"`
	// Host is the Matomo tracker host, SiteID its site id.
	Host   string `json:"host,omitempty"`
	SiteID string `json:"site_id,omitempty"`
}

// FaviconFacts describe the site's icon.
type FaviconFacts struct {
	URL         string `json:"url"` // where it was read ("data:" for an inline icon)
	Size        int    `json:"size"`
	ContentType string `json:"content_type,omitempty"`
	// ShodanHash is Shodan's http.favicon.hash: the signed MurmurHash3
	// of the base64 of the bytes with a newline every 76 characters.
	ShodanHash int32  `json:"shodan_hash"`
	SHA256     string `json:"sha256"`
	// Default names the product whose stock icon this is ("Apache
	// Tomcat"): shared by every install, so it links nothing.
	Default string `json:"default,omitempty"`
}

// Verification token scopes: whether one account reuses a token on all
// its domains (it links them) or each domain gets its own.
const (
	ScopeAccount = "account"
	ScopeDomain  = "domain"
	ScopeUnknown = "unknown"
)

// VerifyToken is one site-verification token (a DNS TXT record or an HTML
// <meta> tag).
type VerifyToken struct {
	Service string `json:"service"` // "google", "facebook", "microsoft", "atlassian", ...
	Token   string `json:"token"`
	Scope   string `json:"scope"`  // ScopeAccount, ScopeDomain or ScopeUnknown
	Source  string `json:"source"` // "dns" (TXT) or "html" (meta tag)
}

// HeaderCheck is one security header, present or missing.
type HeaderCheck struct {
	Name    string `json:"name"`
	Present bool   `json:"present"`
	Value   string `json:"value,omitempty"`
}

// NothingRead reports whether no certificate, interception or skipped
// address was recorded: a failed module's facts that read nothing.
func (f *SSLFacts) NothingRead() bool {
	return f == nil || len(f.Certs) == 0 && f.Intercepted == nil && len(f.Skipped) == 0
}

// NothingRead reports whether InternetDB gave no record of any address.
func (f *PortsFacts) NothingRead() bool { return f == nil || len(f.Hosts) == 0 }

// NothingRead reports whether no address was located.
func (f *GeoFacts) NothingRead() bool { return f == nil || len(f.IPs) == 0 }

// NothingRead reports whether no CT issuance was read.
func (f *SubdomainFacts) NothingRead() bool {
	return f == nil || f.Total == 0 && len(f.Names) == 0 && len(f.CoIssued) == 0 && f.FirstIssuance == nil
}

// NothingRead reports whether the site sent no HTTP answer.
func (f *HeadersFacts) NothingRead() bool { return f == nil || f.StatusCode == 0 }
