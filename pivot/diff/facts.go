package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// The facts compared, per module: each typed facts struct is reduced to
// named fields, single-valued or sets of strings, so that the comparison is
// of values (an A record set, a registrar, a certificate's SANs), never of
// rendered text. Volatile values that change on every scan without anything
// changing in the world (days left, durations, the servers asked, SOA
// serials) are left out; dates are compared by day.
//
//	module      fields
//	dns         A, AAAA, CNAME, NS, MX, TXT, CAA, PTR, SOA contact, NXDOMAIN
//	whois       registration, registrar, created, expires, status, name servers, privacy, registrant
//	ssl         fingerprint, public key, SANs, subject, issuer, not after, self-signed, expired, verified
//	geoip       ASN, network, country
//	threat      listed (DNSBL listings), abuse-tolerant ASN, keyed sources
//	ports       ports, vulns, CPEs, tags, hostnames
//	email       MX, SPF, SPF all, DMARC policy, MTA-STS, TLS-RPT, spoofable, posture
//	subdomains  names
//	headers     status, final URL, server, powered by, tech, missing headers, Cloudflare,
//	            parking, title, page hash, analytics IDs, verification tokens, favicon
//
// A field whose source question failed on one side (DNSFacts.Errors,
// EmailFacts.Errors, a DNSBL answering "unknown") carries why, and is
// reported as unchecked instead of as changed.

// field is one compared fact.
type field struct {
	set  bool
	vals []string // sorted and de-duplicated for a set; one value or none otherwise
	why  string   // non-empty: the fact could not be read
}

// value is the JSON form: a string (or nil) or the sorted set.
func (f field) value() any {
	if f.set {
		if f.vals == nil {
			return []string{}
		}
		return f.vals
	}
	if len(f.vals) == 0 {
		return nil
	}
	return f.vals[0]
}

// fields are one module's facts by name, in declaration order.
type fields struct {
	names []string
	by    map[string]field
}

func (fs fields) order() []string { return fs.names }

func (fs *fields) put(name string, f field) {
	if fs.by == nil {
		fs.by = map[string]field{}
	}
	if _, dup := fs.by[name]; !dup {
		fs.names = append(fs.names, name)
	}
	fs.by[name] = f
}

func (fs *fields) one(name, v string) {
	var vals []string
	if v != "" {
		vals = []string{v}
	}
	fs.put(name, field{vals: vals})
}

func (fs *fields) flag(name string, v bool) { fs.one(name, strconv.FormatBool(v)) }

func (fs *fields) many(name string, vs []string) { fs.put(name, field{set: true, vals: norm(vs)}) }

// unreadable marks a field whose question failed.
func (fs *fields) unreadable(name string, set bool, why string) {
	fs.put(name, field{set: set, why: why})
}

// norm sorts and de-duplicates a set, dropping empty strings.
func norm(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func lower(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.TrimSuffix(strings.ToLower(v), ".")
	}
	return out
}

func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// fieldsOf reduces a module's typed facts to fields; unknown facts give none.
func fieldsOf(facts any) fields {
	var fs fields
	switch f := facts.(type) {
	case *recon.DNSFacts:
		dnsFields(&fs, f)
	case *recon.WhoisFacts:
		if st := f.State(); st == recon.RegUnknown {
			fs.unreadable("registration", false, "no registry answered")
		} else {
			fs.one("registration", st)
		}
		fs.one("registrar", f.Registrar)
		fs.one("created", day(f.Created))
		fs.one("expires", day(f.Expires))
		fs.many("status", lower(f.Status))
		fs.many("name servers", lower(f.NameServers))
		if f.PrivacyKnown() {
			fs.flag("privacy", f.Privacy)
		} else {
			fs.unreadable("privacy", false, "no registrant data was read (a registry-only record)")
		}
		fs.one("registrant", strings.TrimSpace(f.RegistrantOrg+" "+f.RegistrantCountry))
	case *recon.SSLFacts:
		sslFields(&fs, f)
	case *recon.GeoFacts:
		var asn, nets, countries []string
		for _, g := range f.IPs {
			if g.ASN != 0 {
				asn = append(asn, strings.TrimSpace(fmt.Sprintf("AS%d %s", g.ASN, g.ASOrg)))
			}
			nets = append(nets, g.Network)
			countries = append(countries, g.CountryCode)
		}
		fs.many("ASN", asn)
		fs.many("network", nets)
		fs.many("country", countries)
	case *recon.ThreatFacts:
		threatFields(&fs, f)
	case *recon.PortsFacts:
		var ports, vulns, cpes, tags, hosts []string
		for _, h := range f.Hosts {
			for _, p := range h.Ports {
				ports = append(ports, h.IP+" "+strconv.Itoa(p))
			}
			vulns = append(vulns, h.Vulns...)
			cpes = append(cpes, h.CPEs...)
			tags = append(tags, h.Tags...)
			hosts = append(hosts, h.Hostnames...)
		}
		fs.many("ports", ports)
		fs.many("vulns", vulns)
		fs.many("CPEs", cpes)
		fs.many("tags", tags)
		fs.many("hostnames", lower(hosts))
	case *recon.EmailFacts:
		emailFields(&fs, f)
	case *recon.SubdomainFacts:
		fs.many("names", lower(f.Names))
	case *recon.HeadersFacts:
		fs.one("status", strconv.Itoa(f.StatusCode))
		fs.one("final URL", f.FinalURL)
		fs.one("server", f.Server)
		fs.one("powered by", f.PoweredBy)
		fs.many("tech", f.Tech)
		var missing []string
		for _, h := range f.Security {
			if !h.Present {
				missing = append(missing, strings.ToLower(h.Name))
			}
		}
		fs.many("missing headers", missing)
		fs.flag("Cloudflare", f.Cloudflare)
		fs.one("parking", f.Parking)
		fs.one("title", f.Title)
		fs.one("page hash", f.PageHash)
		var ids, tokens []string
		for _, a := range f.Analytics {
			ids = append(ids, a.Key)
		}
		for _, v := range f.Verifications {
			tokens = append(tokens, v.Service+":"+v.Token)
		}
		fs.many("analytics", ids)
		fs.many("verification", tokens)
		switch {
		case f.Favicon != nil:
			fs.one("favicon", f.Favicon.SHA256)
		case f.FaviconError != "":
			fs.unreadable("favicon", false, f.FaviconError)
		default:
			fs.one("favicon", "")
		}
	}
	return fs
}

func dnsFields(fs *fields, f *recon.DNSFacts) {
	set := func(name, qtype string, vs []string) {
		if why := f.Errors[qtype]; why != "" {
			fs.unreadable(name, true, why)
			return
		}
		fs.many(name, vs)
	}
	set("A", "A", f.A)
	set("AAAA", "AAAA", f.AAAA)
	set("CNAME", "CNAME", lower(f.CNAME))
	set("NS", "NS", lower(f.NS))
	var mx []string
	for _, m := range f.MX {
		mx = append(mx, fmt.Sprintf("%d %s", m.Pref, strings.TrimSuffix(strings.ToLower(m.Host), ".")))
	}
	set("MX", "MX", mx)
	set("TXT", "TXT", f.TXT)
	var caa []string
	for _, c := range f.CAA {
		caa = append(caa, fmt.Sprintf("%d %s %q", c.Flag, c.Tag, c.Value))
	}
	set("CAA", "CAA", caa)
	if len(f.PTR) > 0 || f.Errors["PTR"] != "" {
		set("PTR", "PTR", lower(f.PTR))
	}
	if why := f.Errors["SOA"]; why != "" {
		fs.unreadable("SOA contact", false, why)
	} else if f.SOA != nil {
		fs.one("SOA contact", strings.TrimSuffix(strings.ToLower(f.SOA.Mbox), "."))
	} else {
		fs.one("SOA contact", "")
	}
	fs.flag("NXDOMAIN", f.NXDomain)
}

func sslFields(fs *fields, f *recon.SSLFacts) {
	var fp, pub, sans, subj, iss, after, self, exp, ver []string
	for _, c := range f.Certs {
		fp = append(fp, strings.ToLower(c.SHA256))
		pub = append(pub, strings.ToLower(c.PubkeySHA256))
		sans = append(sans, lower(c.SANs)...)
		subj = append(subj, c.Subject)
		iss = append(iss, c.Issuer)
		after = append(after, day(&c.NotAfter))
		self = append(self, strconv.FormatBool(c.SelfSigned))
		exp = append(exp, strconv.FormatBool(c.Expired))
		ver = append(ver, strconv.FormatBool(c.Verified))
	}
	fs.many("fingerprint", fp)
	fs.many("public key", pub)
	fs.many("SANs", sans)
	fs.many("subject", subj)
	fs.many("issuer", iss)
	fs.many("not after", after)
	fs.many("self-signed", self)
	fs.many("expired", exp)
	fs.many("verified", ver)
}

// threatFields compares listings, never the absence of an answer: a check
// that came back unknown on one side makes "listed" unchecked when that
// subject and zone was listed on the other side (it may or may not still
// be), and is left out otherwise.
func threatFields(fs *fields, f *recon.ThreatFacts) {
	var listed, unknown []string
	for _, c := range f.Checks {
		k := strings.ToLower(c.Subject) + " in " + strings.ToLower(c.Zone)
		switch c.Result {
		case recon.DNSBLListed:
			listed = append(listed, k)
		case recon.DNSBLUnknown:
			unknown = append(unknown, k)
		}
	}
	fs.put("listed", field{set: true, vals: norm(listed)})
	fs.put(unknownListed, field{set: true, vals: norm(unknown)}) // consumed by settleUnknown
	var asn []string
	for _, a := range f.ASN {
		asn = append(asn, fmt.Sprintf("AS%d (%s)", a.ASN, a.Source))
	}
	fs.many("abuse-tolerant ASN", asn)
	for _, k := range f.Keyed {
		name := "keyed " + strings.ToLower(k.Source)
		if k.Status != recon.StatusOK {
			fs.unreadable(name, false, string(k.Status)+": "+k.Detail)
			continue
		}
		fs.flag(name, k.Malicious)
	}
}

// unknownListed holds the DNSBL checks that came back unknown; it is not
// compared itself.
const unknownListed = "listed?"

// settleUnknown takes the DNSBL listings that one side could not check out
// of the comparison of "listed" and returns them ("subject in zone") with
// the side that could not check.
func settleUnknown(a, b *fields) (old, new []string) {
	la, lb := a.by["listed"], b.by["listed"]
	ua, ub := a.by[unknownListed], b.by[unknownListed]
	drop := func(l *field, gone []string) {
		l.vals = slices.DeleteFunc(slices.Clone(l.vals), func(v string) bool { _, ok := slices.BinarySearch(gone, v); return ok })
	}
	for _, v := range la.vals {
		if _, ok := slices.BinarySearch(ub.vals, v); ok {
			new = append(new, v)
		}
	}
	for _, v := range lb.vals {
		if _, ok := slices.BinarySearch(ua.vals, v); ok {
			old = append(old, v)
		}
	}
	drop(&la, new)
	drop(&lb, old)
	if a.by != nil {
		if _, ok := a.by["listed"]; ok {
			a.by["listed"] = la
		}
		delete(a.by, unknownListed)
	}
	if b.by != nil {
		if _, ok := b.by["listed"]; ok {
			b.by["listed"] = lb
		}
		delete(b.by, unknownListed)
	}
	return old, new
}

func emailFields(fs *fields, f *recon.EmailFacts) {
	err := func(keys ...string) string {
		for _, k := range keys {
			if why := f.Errors[k]; why != "" {
				return k + ": " + why
			}
		}
		return ""
	}
	one := func(name, v string, keys ...string) {
		if why := err(keys...); why != "" {
			fs.unreadable(name, false, why)
			return
		}
		fs.one(name, v)
	}
	if why := err("MX"); why != "" {
		fs.unreadable("MX", true, why)
	} else {
		fs.many("MX", lower(f.MX))
	}
	spf, all := "", ""
	if f.SPF != nil {
		spf, all = f.SPF.Raw, f.SPF.All
	}
	one("SPF", spf, "TXT")
	one("SPF all", all, "TXT")
	dmarc := ""
	if f.DMARC != nil {
		dmarc = f.DMARC.Policy
	}
	one("DMARC policy", dmarc, "_dmarc TXT")
	one("MTA-STS", strconv.FormatBool(f.MTASTS), "_mta-sts TXT")
	one("TLS-RPT", strconv.FormatBool(f.TLSRPT), "_smtp._tls TXT")
	one("spoofable", strconv.FormatBool(f.Spoofable), "TXT", "_dmarc TXT")
	one("posture", f.Posture, "TXT", "_dmarc TXT")
}
