package lab

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// startWhois opens one listener per WHOIS server name of the world.
func (l *Lab) startWhois() error {
	for _, name := range l.c.whoisNames {
		ln, err := l.listen()
		if err != nil {
			return err
		}
		l.whois[name] = ln.Addr().String()
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				l.wg.Add(1)
				go func() {
					defer l.wg.Done()
					defer conn.Close()
					_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
					line, err := bufio.NewReader(io.LimitReader(conn, 4096)).ReadString('\n')
					if err != nil && line == "" {
						return
					}
					if !l.delay(nil) {
						return
					}
					q := strings.TrimRight(line, "\r\n")
					if name != ianaWhois && l.limits.admit("whois", time.Now()) >= 0 {
						_, _ = io.WriteString(conn, WhoisLimitAnswer)
						return
					}
					if n := l.c.hugeWhois(name, q); n > 0 {
						_ = conn.SetDeadline(time.Now().Add(time.Minute))
						l.writeHugeWhois(conn, q, n)
						return
					}
					_, _ = io.WriteString(conn, l.c.whoisAnswer(name, q))
				}()
			}
		}()
	}
	return nil
}

// WhoisLimitAnswer is what a lab WHOIS server answers beyond the world's
// "whois" rate limit (the Public Interest Registry's words).
const WhoisLimitAnswer = "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\r\n"

// WhoisAnswer returns what the lab's WHOIS server named server answers to query.
func (l *Lab) WhoisAnswer(server, query string) string {
	return l.c.whoisAnswer(strings.ToLower(server), query)
}

type tldInfo struct{ org, created, changed, remarks string }

var tldInfos = map[string]tldInfo{
	"com":  {"VeriSign Global Registry Services", "1985-01-01", "2023-12-07", "http://www.verisigninc.com"},
	"net":  {"VeriSign Global Registry Services", "1985-01-01", "2023-12-07", "http://www.verisigninc.com"},
	"org":  {"Public Interest Registry (PIR)", "1985-01-01", "2024-07-26", "http://www.pir.org"},
	"co":   {".CO Internet S.A.S.", "1991-12-24", "2024-03-11", "http://www.registry.co"},
	"io":   {"Internet Computer Bureau Limited", "1997-09-16", "2024-05-31", "http://www.nic.io"},
	"info": {"Identity Digital Limited", "2001-06-26", "2024-02-06", "https://www.identity.digital"},
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func (c *compiled) whoisAnswer(server, query string) string {
	q := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(query), "."))
	if server == ianaWhois {
		return crlf(c.ianaAnswer(q))
	}
	d := c.domains[q]
	if d != nil && d.Whois != nil {
		wi := d.Whois
		if strings.EqualFold(wi.RegistrarWhoisServer, server) {
			if wi.Raw != "" {
				return wi.Raw
			}
			return crlf(c.registrarAnswer(q, wi))
		}
		if c.registryFor(q) == server {
			if wi.RegistryRaw != "" {
				return wi.RegistryRaw
			}
			return crlf(c.registryAnswer(server, q, wi))
		}
	}
	return crlf(c.notFound(server, query))
}

func (c *compiled) ianaAnswer(q string) string {
	tld := tldOf(q)
	srv := ""
	for t, s := range c.w.TLDs {
		if strings.EqualFold(strings.Trim(t, "."), tld) {
			srv = strings.ToLower(s)
		}
	}
	if srv == "" {
		if d := c.domains[q]; d != nil && d.Whois != nil && d.Whois.RegistryWhoisServer != "" {
			srv = strings.ToLower(d.Whois.RegistryWhoisServer)
		}
	}
	var b strings.Builder
	b.WriteString("% IANA WHOIS server\n% for more information on IANA, visit http://www.iana.org\n")
	if srv == "" {
		b.WriteString("%\n% This query returned 0 objects.\n")
		return b.String()
	}
	info, ok := tldInfos[tld]
	if !ok {
		info = tldInfo{"Registry of ." + tld, "2000-01-01", "2024-01-01", "http://www.iana.org/domains/root/db/" + tld + ".html"}
	}
	b.WriteString("% This query returned 1 object\n\n")
	fmt.Fprintf(&b, "refer:        %s\n\n", srv)
	fmt.Fprintf(&b, "domain:       %s\n\n", strings.ToUpper(tld))
	fmt.Fprintf(&b, "organisation: %s\n\n", info.org)
	for _, role := range []string{"administrative", "technical"} {
		fmt.Fprintf(&b, "contact:      %s\nname:         Registry Customer Service\norganisation: %s\n\n", role, info.org)
	}
	fmt.Fprintf(&b, "whois:        %s\n\n", srv)
	fmt.Fprintf(&b, "status:       ACTIVE\nremarks:      Registration information: %s\n\n", info.remarks)
	fmt.Fprintf(&b, "created:      %s\nchanged:      %s\nsource:       IANA\n", info.created, info.changed)
	return b.String()
}

func (c *compiled) notFound(server, query string) string {
	stamp := c.now.Format("2006-01-02T15:04:05Z")
	if server == "whois.verisign-grs.com" {
		return fmt.Sprintf("No match for \"%s\".\n>>> Last update of whois database: %s <<<\n\n%s", strings.ToUpper(strings.TrimSpace(query)), stamp, verisignNotice)
	}
	return fmt.Sprintf("No match for \"%s\".\n>>> Last update of WHOIS database: %s <<<\n", strings.ToUpper(strings.TrimSpace(query)), stamp)
}

const verisignNotice = `NOTICE: The expiration date displayed in this record is the date the
registrar's sponsorship of the domain name registration in the registry is
currently set to expire. This date does not necessarily reflect the expiration
date of the domain name registrant's agreement with the sponsoring
registrar.  Users may consult the sponsoring registrar's Whois database to
view the registrar's reported date of expiration for this registration.

TERMS OF USE: You are not authorized to access or query our Whois
database through the use of electronic processes that are high-volume and
automated except as reasonably necessary to register domain names or
modify existing registrations. (This answer comes from the NetSpecter lab.)

The Registry database contains ONLY .COM, .NET, .EDU domains and
Registrars.
`

// whoisFacts are the resolved values both answers are written from.
type whoisFacts struct {
	registrar, ianaID, url, server, abuseEmail, abusePhone string
	created, updated, expires                              string
	status, ns                                             []string
	dnssec, domainID                                       string
}

func (c *compiled) facts(d string, wi *Whois) whoisFacts {
	f := whoisFacts{server: strings.ToLower(wi.RegistrarWhoisServer)}
	if r := c.w.Registrars[wi.RegistrarWhoisServer]; r != nil {
		f.registrar, f.url, f.abuseEmail, f.abusePhone = r.Name, r.URL, r.AbuseEmail, r.AbusePhone
		if r.IANAID != 0 {
			f.ianaID = fmt.Sprint(r.IANAID)
		}
	}
	if wi.Registrar != "" {
		f.registrar = wi.Registrar
	}
	if wi.RegistrarIANAID != 0 {
		f.ianaID = fmt.Sprint(wi.RegistrarIANAID)
	}
	if wi.RegistrarURL != "" {
		f.url = wi.RegistrarURL
	}
	created := wi.Created.At(c.now)
	updated := wi.Updated.At(c.now)
	if wi.Updated.IsZero() {
		updated = created
	}
	expires := wi.Expires.At(c.now)
	if wi.Expires.IsZero() {
		expires = created.AddDate(1, 0, 0)
	}
	const layout = "2006-01-02T15:04:05Z"
	f.created, f.updated, f.expires = created.Format(layout), updated.Format(layout), expires.Format(layout)
	f.status = wi.Status
	if len(f.status) == 0 {
		f.status = []string{"clientTransferProhibited"}
	}
	f.ns = wi.NameServers
	if len(f.ns) == 0 {
		for _, rr := range c.rrs[d+"."][dns.TypeNS] {
			f.ns = append(f.ns, strings.TrimSuffix(rr.(*dns.NS).Ns, "."))
		}
	}
	f.dnssec = orDefault(wi.DNSSEC, "unsigned")
	h := hashString(d)
	if tld := tldOf(d); tld == "com" || tld == "net" {
		f.domainID = fmt.Sprintf("%d_DOMAIN_%s-VRSN", 2900000000+h%99999999, strings.ToUpper(tld))
	} else {
		f.domainID = fmt.Sprintf("D%d-%s", 400000000+h%99999999, strings.ToUpper(tld))
	}
	return f
}

func eppLine(s string) string {
	code := strings.Fields(s)
	if len(code) == 1 {
		return s + " https://icann.org/epp#" + s
	}
	return s
}

func (c *compiled) registryAnswer(server, d string, wi *Whois) string {
	f := c.facts(d, wi)
	var b strings.Builder
	verisign := server == "whois.verisign-grs.com"
	ind := ""
	name := d
	if verisign {
		ind = "   "
		name = strings.ToUpper(d)
	}
	line := func(k, v string) { fmt.Fprintf(&b, "%s%s: %s\n", ind, k, v) }
	line("Domain Name", name)
	line("Registry Domain ID", f.domainID)
	line("Registrar WHOIS Server", f.server)
	line("Registrar URL", f.url)
	line("Updated Date", f.updated)
	line("Creation Date", f.created)
	line("Registry Expiry Date", f.expires)
	line("Registrar", f.registrar)
	line("Registrar IANA ID", f.ianaID)
	line("Registrar Abuse Contact Email", f.abuseEmail)
	line("Registrar Abuse Contact Phone", f.abusePhone)
	for _, s := range f.status {
		line("Domain Status", eppLine(s))
	}
	if !verisign {
		org, state, cc := c.registrant(wi)
		line("Registrant Organization", org)
		line("Registrant State/Province", state)
		line("Registrant Country", cc)
	}
	for _, n := range f.ns {
		if verisign {
			n = strings.ToUpper(n)
		}
		line("Name Server", n)
	}
	line("DNSSEC", f.dnssec)
	line("URL of the ICANN Whois Inaccuracy Complaint Form", "https://www.icann.org/wicf/")
	if verisign {
		fmt.Fprintf(&b, ">>> Last update of whois database: %s <<<\n\n", c.now.Format("2006-01-02T15:04:05Z"))
		b.WriteString("For more information on Whois status codes, please visit https://icann.org/epp\n\n")
		b.WriteString(verisignNotice)
	} else {
		fmt.Fprintf(&b, ">>> Last update of WHOIS database: %s <<<\n", c.now.Format("2006-01-02T15:04:05Z"))
	}
	return b.String()
}

func (c *compiled) registrant(wi *Whois) (org, state, cc string) {
	if wi.Privacy {
		return "Privacy service provided by " + orDefault(wi.PrivacyService, defaultPrivacy), "Capital Region", "IS"
	}
	return wi.RegistrantOrg, wi.RegistrantState, wi.RegistrantCountry
}

func (c *compiled) registrarAnswer(d string, wi *Whois) string {
	f := c.facts(d, wi)
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	line("Domain name", d)
	line("Registry Domain ID", f.domainID)
	line("Registrar WHOIS Server", f.server)
	line("Registrar URL", f.url)
	line("Updated Date", f.updated)
	line("Creation Date", f.created)
	line("Registrar Registration Expiration Date", f.expires)
	line("Registrar", f.registrar)
	line("Registrar IANA ID", f.ianaID)
	line("Registrar Abuse Contact Email", f.abuseEmail)
	line("Registrar Abuse Contact Phone", f.abusePhone)
	line("Reseller", "")
	for _, s := range f.status {
		line("Domain Status", eppLine(s))
	}
	org, state, cc := c.registrant(wi)
	for _, role := range []string{"Registrant", "Admin", "Tech"} {
		if role == "Registrant" {
			line("Registry Registrant ID", "")
		} else {
			line("Registry "+role+" ID", "")
		}
		if wi.Privacy {
			line(role+" Name", "Redacted for Privacy")
			line(role+" Organization", org)
			line(role+" Street", "Kalkofnsvegur 2")
			line(role+" City", "Reykjavik")
			line(role+" State/Province", state)
			line(role+" Postal Code", "101")
			line(role+" Country", cc)
			line(role+" Phone", "+354.4212434")
			line(role+" Email", fmt.Sprintf("%08x%08x@protect.withheldforprivacy.com", hashString(d), hashString(role+d)))
		} else {
			line(role+" Name", "REDACTED FOR PRIVACY")
			line(role+" Organization", org)
			line(role+" State/Province", state)
			line(role+" Country", cc)
			line(role+" Email", "Select Request Email Form at "+f.url)
		}
	}
	for _, n := range f.ns {
		line("Name Server", n)
	}
	line("DNSSEC", f.dnssec)
	line("URL of the ICANN WHOIS Data Problem Reporting System", "http://wdprs.internic.net/")
	fmt.Fprintf(&b, ">>> Last update of WHOIS database: %s <<<\n\n", c.now.Format("2006-01-02T15:04:05.00Z"))
	b.WriteString("For more information on Whois status codes, please visit https://icann.org/epp\n")
	return b.String()
}
