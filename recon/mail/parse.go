package mail

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// MaxLookups is the RFC 7208 §4.6.4 limit of DNS-querying SPF terms.
const MaxLookups = 10

// lookupLimitPrefix starts the error added when a record needs too many lookups.
const lookupLimitPrefix = "needs "

// Unquote turns a TXT record in presentation form (`"v=spf1 " "-all"`, as
// dig prints it) into its text, joining the character-strings with no
// separator and resolving \" \\ and \DDD escapes. Text that is not in
// presentation form (or is malformed) is returned unchanged.
func Unquote(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, `"`) {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(t) {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
		if i == len(t) {
			break
		}
		if t[i] != '"' {
			return s
		}
		i++
		closed := false
		for i < len(t) {
			c := t[i]
			if c == '"' {
				closed = true
				i++
				break
			}
			if c == '\\' && i+1 < len(t) {
				if i+3 < len(t) && isDigit(t[i+1]) && isDigit(t[i+2]) && isDigit(t[i+3]) {
					n, _ := strconv.Atoi(t[i+1 : i+4])
					if n > 255 {
						return s
					}
					b.WriteByte(byte(n))
					i += 4
					continue
				}
				b.WriteByte(t[i+1])
				i += 2
				continue
			}
			b.WriteByte(c)
			i++
		}
		if !closed {
			return s
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsSPF reports whether a TXT record's text is an SPF record: "v=spf1"
// followed by a space or nothing (RFC 7208 §4.5).
func IsSPF(txt string) bool {
	s := strings.TrimSpace(Unquote(txt))
	if len(s) < 6 || !strings.EqualFold(s[:6], "v=spf1") {
		return false
	}
	return len(s) == 6 || s[6] == ' ' || s[6] == '\t'
}

// IsDMARC reports whether a TXT record's text is a DMARC record (starts
// with v=DMARC1).
func IsDMARC(txt string) bool {
	s := strings.TrimSpace(Unquote(txt))
	k, v, ok := strings.Cut(s, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(k), "v") {
		return false
	}
	v, _, _ = strings.Cut(v, ";")
	return strings.EqualFold(strings.TrimSpace(v), "DMARC1")
}

// ParseSPF parses one SPF record (plain text or dig's quoted presentation
// form). Raw keeps the input unchanged. Syntax errors, and more than
// MaxLookups DNS-querying terms, go to Errors; problems receivers tolerate go
// to Warnings. It never panics.
func ParseSPF(record string) *recon.SPFRecord {
	rec := &recon.SPFRecord{Raw: record, Mechanisms: []recon.SPFMechanism{}}
	fields := strings.Fields(Unquote(record))
	if len(fields) == 0 || !strings.EqualFold(fields[0], "v=spf1") {
		rec.Errors = append(rec.Errors, "does not start with \"v=spf1\": not an SPF record")
		return rec
	}
	errf := func(format string, a ...any) { rec.Errors = append(rec.Errors, fmt.Sprintf(format, a...)) }
	warnf := func(format string, a ...any) { rec.Warnings = append(rec.Warnings, fmt.Sprintf(format, a...)) }
	var afterAll []string
	seenMod := map[string]bool{}
	for _, term := range fields[1:] {
		if name, value, ok := modifier(term); ok {
			rec.Modifiers = append(rec.Modifiers, recon.SPFModifier{Name: name, Value: value})
			switch name {
			case "redirect", "exp":
				if seenMod[name] {
					errf("%s= appears more than once (receivers return permerror)", name)
					continue
				}
				seenMod[name] = true
				if why := checkDomainSpec(value); why != "" {
					errf("%s=%s: %s", name, value, why)
					continue
				}
				if name == "redirect" {
					rec.Redirect = value
					rec.Lookups++
				}
			default:
				warnf("unknown modifier %q is ignored", term)
			}
			continue
		}
		if rec.All != "" {
			afterAll = append(afterAll, term)
		}
		q, body := "+", term
		if strings.ContainsRune("+-~?", rune(term[0])) {
			q, body = term[:1], term[1:]
		}
		cut := strings.IndexAny(body, ":/")
		name, rest := body, ""
		if cut >= 0 {
			name, rest = body[:cut], body[cut:]
		}
		name = strings.ToLower(name)
		value := strings.TrimPrefix(rest, ":")
		m := recon.SPFMechanism{Qualifier: q, Name: name, Value: value}
		switch name {
		case "all":
			if rest != "" {
				errf("%q: all takes no argument", term)
				continue
			}
			if rec.All == "" {
				rec.All = q + "all"
			}
		case "include", "exists":
			if !strings.HasPrefix(rest, ":") || value == "" {
				errf("%q: %s needs a domain right after the colon (is there a space after it?)", term, name)
				continue
			}
			if why := checkDomainSpec(value); why != "" {
				errf("%q: %s", term, why)
				continue
			}
			rec.Lookups++
		case "a", "mx":
			dom, cidr := rest, ""
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				dom, cidr = rest[:i], rest[i:]
			}
			if dom != "" {
				if dom == ":" {
					errf("%q: %s: needs a domain after the colon", term, name)
					continue
				}
				if why := checkDomainSpec(dom[1:]); why != "" {
					errf("%q: %s", term, why)
					continue
				}
			}
			if cidr != "" {
				if why := checkDualCIDR(cidr); why != "" {
					errf("%q: %s", term, why)
					continue
				}
			}
			rec.Lookups++
		case "ptr":
			if rest != "" && (!strings.HasPrefix(rest, ":") || checkDomainSpec(value) != "") {
				errf("%q: ptr takes an optional :domain only", term)
				continue
			}
			warnf("%q: the ptr mechanism is slow and deprecated (RFC 7208 §5.5); receivers may skip it", term)
			rec.Lookups++
		case "ip4", "ip6":
			if !strings.HasPrefix(rest, ":") || value == "" {
				errf("%q: %s needs an address after the colon", term, name)
				continue
			}
			if why := checkIP(name, value); why != "" {
				errf("%q: %s", term, why)
				continue
			}
		default:
			errf("unknown mechanism %q (receivers return permerror)", term)
			continue
		}
		rec.Mechanisms = append(rec.Mechanisms, m)
	}
	if len(afterAll) > 0 {
		warnf("terms after %s are never evaluated: %s", rec.All, strings.Join(afterAll, " "))
	}
	if rec.All != "" && rec.Redirect != "" {
		warnf("redirect=%s is ignored because the record has an all mechanism", rec.Redirect)
	}
	if rec.Lookups > MaxLookups {
		errf("%s%d DNS lookups (include, a, mx, ptr, exists, redirect); the limit is %d, so receivers return permerror", lookupLimitPrefix, rec.Lookups, MaxLookups)
	}
	return rec
}

// modifier splits a name=value term; ok is false for mechanisms.
func modifier(term string) (name, value string, ok bool) {
	i := strings.IndexByte(term, '=')
	if i <= 0 {
		return "", "", false
	}
	n := term[:i]
	for j := 0; j < len(n); j++ {
		c := n[j] | 0x20
		alpha := c >= 'a' && c <= 'z'
		if j == 0 && !alpha {
			return "", "", false
		}
		if !alpha && !isDigit(n[j]) && n[j] != '-' && n[j] != '_' && n[j] != '.' {
			return "", "", false
		}
	}
	return strings.ToLower(n), term[i+1:], true
}

// checkDomainSpec says what is wrong with an SPF domain-spec, or "".
func checkDomainSpec(ds string) string {
	if ds == "" {
		return "empty domain"
	}
	for i := 0; i < len(ds); i++ {
		if ds[i] < 0x21 || ds[i] > 0x7e {
			return fmt.Sprintf("domain %q contains a character that is not printable ASCII", ds)
		}
	}
	if strings.Contains(ds, "%") {
		return checkMacros(ds)
	}
	d := strings.TrimSuffix(ds, ".")
	if len(d) > 253 {
		return fmt.Sprintf("domain is %d characters; at most 253 are allowed", len(d))
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return fmt.Sprintf("%q is not a fully qualified domain name", ds)
	}
	for _, l := range labels {
		if l == "" {
			return fmt.Sprintf("domain %q has an empty label", ds)
		}
		if len(l) > 63 {
			return fmt.Sprintf("domain %q has a label longer than 63 characters", ds)
		}
	}
	top := labels[len(labels)-1]
	alpha := false
	for i := 0; i < len(top); i++ {
		c := top[i] | 0x20
		if c >= 'a' && c <= 'z' {
			alpha = true
		} else if !isDigit(top[i]) && top[i] != '-' {
			return fmt.Sprintf("domain %q has an invalid top-level label", ds)
		}
	}
	if !alpha {
		return fmt.Sprintf("%q is not a domain name (an IP address belongs in ip4:/ip6:)", ds)
	}
	return ""
}

// checkMacros validates the % macros of a domain-spec (RFC 7208 §7.1).
func checkMacros(ds string) string {
	for i := 0; i < len(ds); i++ {
		if ds[i] != '%' {
			continue
		}
		if i+1 >= len(ds) {
			return fmt.Sprintf("domain %q ends with a lone %%", ds)
		}
		switch ds[i+1] {
		case '%', '_', '-':
			i++
		case '{':
			end := strings.IndexByte(ds[i:], '}')
			if end < 0 {
				return fmt.Sprintf("domain %q has an unclosed %%{ macro", ds)
			}
			body := ds[i+2 : i+end]
			if body == "" || !strings.ContainsRune("slodiphcrtvSLODIPHCRTV", rune(body[0])) {
				return fmt.Sprintf("domain %q has an unknown macro %%{%s}", ds, body)
			}
			i += end
		default:
			return fmt.Sprintf("domain %q has an invalid %% escape", ds)
		}
	}
	return ""
}

// checkDualCIDR validates "/n", "//m" or "/n//m".
func checkDualCIDR(c string) string {
	v4, v6, has6 := c, "", false
	if i := strings.Index(c, "//"); i >= 0 {
		v4, v6, has6 = c[:i], c[i+2:], true
	}
	if v4 != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v4, "/"))
		if err != nil || !strings.HasPrefix(v4, "/") || n < 0 || n > 32 {
			return fmt.Sprintf("bad IPv4 prefix length %q (0-32)", v4)
		}
	}
	if has6 {
		n, err := strconv.Atoi(v6)
		if err != nil || n < 0 || n > 128 {
			return fmt.Sprintf("bad IPv6 prefix length %q (0-128)", "//"+v6)
		}
	}
	return ""
}

// checkIP validates the value of ip4: or ip6:.
func checkIP(mech, v string) string {
	want := "IPv4"
	if mech == "ip6" {
		want = "IPv6"
	}
	var a netip.Addr
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return fmt.Sprintf("%q is not an %s address or network", v, want)
		}
		a = p.Addr()
	} else {
		var err error
		if a, err = netip.ParseAddr(v); err != nil {
			return fmt.Sprintf("%q is not an %s address or network (host names are not allowed here)", v, want)
		}
	}
	if a.Zone() != "" || (mech == "ip4") != a.Is4() {
		return fmt.Sprintf("%q is not an %s address", v, want)
	}
	return ""
}

// ParseDMARC parses one DMARC record (plain text or dig's quoted
// presentation form). Pct defaults to 100; rua and ruf are split on commas.
// A missing or bad p=, a URI without mailto:, and other bad tags go to
// Errors. It never panics.
func ParseDMARC(record string) *recon.DMARCRecord {
	rec := &recon.DMARCRecord{Raw: record, Pct: 100}
	errf := func(format string, a ...any) { rec.Errors = append(rec.Errors, fmt.Sprintf(format, a...)) }
	first := true
	seen := map[string]bool{}
	for _, part := range strings.Split(Unquote(record), ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if first {
			first = false
			if k != "v" || !strings.EqualFold(v, "DMARC1") {
				errf("does not start with v=DMARC1: not a DMARC record")
				return rec
			}
			seen["v"] = true
			continue
		}
		if !ok {
			errf("%q is not a tag=value pair", part)
			continue
		}
		if seen[k] {
			errf("tag %s= appears more than once", k)
			continue
		}
		seen[k] = true
		switch k {
		case "p", "sp":
			p := strings.ToLower(v)
			if p != "none" && p != "quarantine" && p != "reject" {
				errf("%s=%q is not none, quarantine or reject", k, v)
				continue
			}
			if k == "p" {
				rec.Policy = p
			} else {
				rec.SubdomainPolicy = p
			}
		case "pct":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100 {
				errf("pct=%q is not a whole number from 0 to 100 (receivers use 100)", v)
				continue
			}
			rec.Pct = n
		case "rua", "ruf":
			var uris []string
			for _, u := range strings.Split(v, ",") {
				if u = strings.TrimSpace(u); u == "" {
					errf("%s= has an empty URI", k)
					continue
				}
				uris = append(uris, u)
				addr := u
				if i := strings.LastIndexByte(addr, '!'); i > 0 {
					addr = addr[:i] // size limit such as !10m
				}
				if len(addr) < 7 || !strings.EqualFold(addr[:7], "mailto:") {
					errf("%s URI %q has no mailto: scheme: receivers ignore it", k, u)
				} else if !strings.Contains(addr[7:], "@") {
					errf("%s URI %q is not an e-mail address", k, u)
				}
			}
			if k == "rua" {
				rec.RUA = uris
			} else {
				rec.RUF = uris
			}
		case "adkim", "aspf":
			if l := strings.ToLower(v); l != "r" && l != "s" {
				errf("%s=%q is not r (relaxed) or s (strict)", k, v)
			}
		case "fo":
			for _, o := range strings.Split(v, ":") {
				if o = strings.TrimSpace(strings.ToLower(o)); o != "0" && o != "1" && o != "d" && o != "s" {
					errf("fo=%q: %q is not 0, 1, d or s", v, o)
					break
				}
			}
		case "ri":
			if _, err := strconv.ParseUint(v, 10, 32); err != nil {
				errf("ri=%q is not a number of seconds", v)
			}
		case "v":
			errf("v= must be the first tag only")
		}
		// Other tags (rf, np, psd, t, ...) are ignored, as receivers do.
	}
	if first {
		errf("empty record: not a DMARC record")
		return rec
	}
	if !seen["p"] {
		errf("no p= policy tag: receivers ignore the record (or treat it as p=none); add p=none, p=quarantine or p=reject")
	}
	return rec
}
