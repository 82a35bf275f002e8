// ubiquitous.go holds the values shared by huge populations of unrelated
// domains (CDN edges, public resolvers, privacy services, mass DNS hosting,
// mass mail senders and report processors, placeholders): as cluster keys
// they say nothing (SaysNothing).

package pivot

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/cdn"
)

// "Says nothing": the lowest weights.
//
// Some values are shared by huge populations of unrelated domains: a CDN
// edge address, its network and its ASN; the public resolvers; the name
// servers of mass DNS hosting; a privacy/proxy service standing in for the
// registrant; an empty or unknown value. Their weight (weights.go) is below
// SaysLittle, and SaysNothing says why. The tables here are the lists such
// values are recognised by; the population sizes behind the weights are in
// baserates.go.

// cdnASNs are networks whose addresses are shared edges: an address, its
// network and its ASN say nothing (the "cdn" rows of Platforms).
var cdnASNs = func() map[uint32]string {
	m := map[uint32]string{}
	for _, p := range Platforms {
		if p.Kind == "cdn" {
			for _, a := range p.ASNs {
				m[a] = p.Name + " (CDN)"
			}
		}
	}
	return m
}()

// publicResolvers are open resolvers that misconfigured or parked zones
// point at.
var publicResolvers = map[string]bool{
	"8.8.8.8": true, "8.8.4.4": true, "1.1.1.1": true, "1.0.0.1": true,
	"9.9.9.9": true, "149.112.112.112": true, "208.67.222.222": true,
	"208.67.220.220": true, "94.140.14.14": true, "94.140.15.15": true,
	"2001:4860:4860::8888": true, "2001:4860:4860::8844": true,
	"2606:4700:4700::1111": true, "2606:4700:4700::1001": true,
	"2620:fe::fe": true, "2620:fe::9": true,
}

// privacyMarkers identify a privacy/proxy service or a redacted value in
// place of a registrar.
var privacyMarkers = []string{
	"domains by proxy", "privacy", "proxy", "whoisguard", "redacted",
	"withheld", "data protected", "not disclosed",
}

// massDNSContacts are the registrable domains of mass DNS hosting's SOA
// contact mailboxes (awsdns-hostmaster.amazon.com, dns.cloudflare.com,
// azuredns-hostmaster.microsoft.com, dns-admin.google.com, ...), besides
// the registrable domains of massNSSuffixes, and default or placeholder
// zones' contacts (root.localhost).
var massDNSContacts = []string{
	"amazon.com", "microsoft.com", "google.com", "cloudflare.com", "godaddy.com",
	"namecheap.com", "jomax.net", "localhost", "localdomain", "example.com", "example.net",
	"example.org", "invalid", "nsone.net", "hetzner.com", "hetzner.de", "ovh.com",
}

// massReportProcessors are the registrable domains of DMARC aggregate-report
// processors: their rua mailboxes serve thousands of unrelated customers.
// Every registrable domain whose first label is "easydmarc" counts too.
var massReportProcessors = []string{
	"dmarcian.com", "dmarcian.eu", "agari.com", "valimail.com", "vali.email",
	"ondmarc.com", "redsift.cloud", "redsift.io", "postmarkapp.com", "uriports.com",
	"dmarcanalyzer.com", "proofpoint.com", "mimecast.com", "powerdmarc.com",
	"cloudflare.net", "fraudmarc.com", "dmarcly.com", "dmarcadvisor.com",
	"sendmarc.com", "kdmarc.com", "mxtoolbox.com", "250ok.net", "returnpath.net",
	"emailsecuritymonitor.com", "brevo.com", "sendinblue.com", "mailhardener.com",
	"dmarc.report", "glockapps.com", "socketlabs.com", "sendgrid.net",
}

// massSenders are the registrable domains of mass mail senders, mailbox
// hosting and hosting companies whose SPF records their customers include
// (include:_spf.google.com, spf.protection.outlook.com, ...).
var massSenders = []string{
	"google.com", "googlemail.com", "outlook.com", "microsoft.com", "hotmail.com",
	"amazonses.com", "amazonaws.com", "sendgrid.net", "mailgun.org", "mcsv.net",
	"mailchimp.com", "mandrillapp.com", "salesforce.com", "exacttarget.com",
	"zoho.com", "zoho.eu", "zoho.in", "zoho.com.au", "zohomail.com", "zeptomail.com",
	"sparkpostmail.com", "sparkpost.com", "mailjet.com", "sendinblue.com", "brevo.com",
	"mktomail.com", "hubspotemail.net", "hubspot.com", "zendesk.com", "freshdesk.com",
	"helpscoutemail.com", "mtasv.net", "postmarkapp.com", "cloudflare.net",
	"ovh.com", "secureserver.net", "emailsrvr.com", "messagingengine.com",
	"mimecast.com", "pphosted.com", "ppe-hosted.com", "protonmail.ch", "icloud.com",
	"yandex.net", "yandex.ru", "mail.ru", "elasticemail.com", "smtp2go.com",
	"constantcontact.com", "aweber.com", "intermedia.net", "one.com", "perfora.net",
	"kundenserver.de", "hostinger.com", "privateemail.com", "titan.email",
	"registrar-servers.com", "websitewelcome.com", "bluehost.com", "dreamhost.com",
	"gandi.net", "web-hosting.com", "mlsend.com", "klaviyo.com", "shopify.com",
	"squarespace.com", "qq.com", "163.com", "aliyun.com", "mxroute.com",
	"atlassian.net", "mailerlite.com", "sendpulse.com", "convertkit.com",
	"mailersend.net", "mailpoet.com", "stackmail.com", "netcore.co.in",
}

// unknownValues are placeholders that mean "we do not know".
var unknownValues = map[string]bool{
	"": true, "unknown": true, "n/a": true, "na": true, "none": true, "-": true,
	"null": true, "not available": true,
}

// SaysNothing reports why a value of one of the cluster key kinds (the
// Kind of a KeyKinds row: "ip", "net", "asn", "registrar", "ns", "cert",
// "pubkey", "email", "rua", "spf-include", "soa", …) is shared by too many
// unrelated domains to link them — its weight without session evidence is
// below SaysLittle — or "" when it is meaningful.
// For "ns" the value is the comma-separated set.
func SaysNothing(kind, value string) string {
	w, why := Weigh(kind, value, nil)
	if w < SaysLittle {
		return strings.TrimSuffix(strings.TrimSuffix(why, ", says nothing"), ": says nothing")
	}
	return ""
}

// ipNothing says why an address is shared by everyone (non-public, a
// public resolver, a CDN edge), "" otherwise.
func ipNothing(a netip.Addr) string {
	a = a.Unmap()
	if why := recon.NonPublicReason(a); why != "" {
		return "non-public address (" + why + ")"
	}
	if publicResolvers[a.String()] {
		return "public resolver"
	}
	if p := cdn.Provider(a); p != "" {
		return "CDN edge (" + p + ")"
	}
	return ""
}

// ruaNothing says why a DMARC report mailbox is a mass processor's.
func ruaNothing(v string) string {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return "not a mailbox"
	}
	dom := strings.TrimSuffix(v[at+1:], ".")
	if under(dom, massReportProcessors) || strings.HasPrefix(registrable(dom), "easydmarc.") {
		return "mass DMARC report processor (" + registrable(dom) + ")"
	}
	return ""
}

// soaNothing says why an SOA contact is mass DNS hosting's.
func soaNothing(v string) string {
	_, dom, ok := cutMbox(strings.TrimSuffix(v, "."))
	if !ok {
		return "not a mailbox"
	}
	if under(dom, massDNSContacts) || massNS(dom) {
		return "mass DNS hosting contact (" + registrable(dom) + ")"
	}
	return ""
}

// registrable is the registrable domain of a host name (lower case, no
// trailing dot).
func registrable(h string) string {
	return recon.RegisteredDomain(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."))
}

// under reports whether host h (lower case) is one of the domains of list
// or a name under one. The registrable domain of a mass service is in the
// list; matching every parent as well covers the services whose own names
// are public suffixes (x.cloudflare.net is registrable on its own).
func under(h string, list []string) bool {
	return slices.ContainsFunc(list, func(d string) bool { return h == d || strings.HasSuffix(h, "."+d) })
}

// cutMbox splits an SOA RNAME ("hostmaster.example.com",
// "john\.doe.example.com") at its first unescaped dot into the local part
// and the mailbox's domain; ok is false when there is no such dot or either
// side is empty.
func cutMbox(v string) (local, domain string, ok bool) {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++ // an escaped character, e.g. "\." inside the local part
		case '.':
			if i == 0 || i == len(v)-1 {
				return "", "", false
			}
			return v[:i], v[i+1:], true
		}
	}
	return "", "", false
}

// massNS reports whether a name-server host belongs to mass DNS hosting.
func massNS(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if h == "" {
		return true
	}
	_, ok := dnsHostOf(h)
	return ok
}

// cdnASN reports whether an ASN is a CDN's, whose addresses are shared edges.
func cdnASN(n uint32) bool { _, ok := cdnASNs[n]; return ok }

// parseASN reads "AS13335", "as13335" or "13335"; 0 when it does not parse.
func parseASN(v string) uint32 {
	v = strings.TrimPrefix(strings.ToLower(v), "as")
	var n uint64
	if v == "" || len(v) > 10 {
		return 0
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-1 {
		return 0
	}
	return uint32(n)
}
