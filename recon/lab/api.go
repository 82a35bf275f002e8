package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// issuance is one Certificate Transparency entry.
type issuance struct {
	id                  uint64
	names               []string
	cn                  string
	tbs, cert, pubkey   string // hex SHA-256
	serial              string
	notBefore, notAfter time.Time
	issuer              string // DN, crt.sh style
	der, pubkeyDER      []byte // world certificates only (extra CT entries have none)
}

func sha(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// buildIssuances lists every world certificate and every extra CT entry,
// ordered by not_before, with increasing ids.
func (l *Lab) buildIssuances() []*issuance {
	var out []*issuance
	for _, id := range l.pki.order {
		leaf := l.pki.certs[id].Leaf
		wc := l.c.certs[id]
		issuer := orDefault(wc.Issuer, defaultIssuer)
		if wc.SelfSigned {
			issuer = "CN=" + leaf.Subject.CommonName
		}
		names := append([]string(nil), leaf.DNSNames...)
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		out = append(out, &issuance{names: names, cn: leaf.Subject.CommonName,
			tbs: sum(leaf.RawTBSCertificate), cert: sum(leaf.Raw), pubkey: sum(leaf.RawSubjectPublicKeyInfo),
			serial: fmt.Sprintf("%x", leaf.SerialNumber), notBefore: leaf.NotBefore.UTC(), notAfter: leaf.NotAfter.UTC(), issuer: issuer,
			der: leaf.Raw, pubkeyDER: leaf.RawSubjectPublicKeyInfo})
	}
	doms := make([]string, 0, len(l.c.domains))
	for d := range l.c.domains {
		doms = append(doms, d)
	}
	sort.Strings(doms)
	for _, d := range doms {
		dd := l.c.domains[d]
		for i, e := range dd.CT {
			names := append([]string(nil), e.Names...)
			if e.Name != "" {
				names = append([]string{e.Name}, names...)
			}
			issuer := e.Issuer
			if issuer == "" {
				issuer = defaultIssuer
				if dd.Cert != "" && l.c.certs[dd.Cert].Issuer != "" {
					issuer = l.c.certs[dd.Cert].Issuer
				}
			}
			nb, na := l.c.validity(e.NotBefore, e.NotAfter, false)
			key := fmt.Sprintf("%s#%d", d, i)
			out = append(out, &issuance{names: names, cn: names[0], tbs: sha(key, "tbs"), cert: sha(key, "cert"),
				pubkey: sha(key, "key"), serial: sha(key, "serial")[:32], notBefore: nb.UTC(), notAfter: na.UTC(), issuer: issuer})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].notBefore.Before(out[j].notBefore) })
	for i, is := range out {
		is.id = 5200000000 + uint64(i+1)*1117
	}
	return out
}

func (l *Lab) startAPIs() error {
	var err error
	if l.certspotterURL, err = l.serveHTTP(l.limited("certspotter", l.serveCertspotter)); err != nil {
		return err
	}
	if l.crtshURL, err = l.serveHTTP(l.limited("crtsh", l.serveCrtsh)); err != nil {
		return err
	}
	if l.internetDBURL, err = l.serveHTTP(l.limited("internetdb", l.serveInternetDB)); err != nil {
		return err
	}
	if l.rdapURL, err = l.serveHTTP(l.limited("rdap", l.serveRDAP)); err != nil {
		return err
	}
	l.keyedURL, err = l.serveHTTP(l.limited("keyed", serveKeyed))
	return err
}

func writeJSON(w http.ResponseWriter, status int, ctype string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// ---- Certspotter ------------------------------------------------------

type csIssuer struct {
	FriendlyName string `json:"friendly_name"`
	Name         string `json:"name"`
}

type csIssuance struct {
	ID           string    `json:"id"`
	TBSSHA256    string    `json:"tbs_sha256"`
	CertSHA256   string    `json:"cert_sha256"`
	DNSNames     []string  `json:"dns_names,omitempty"`
	PubkeySHA256 string    `json:"pubkey_sha256"`
	Issuer       *csIssuer `json:"issuer,omitempty"`
	CertDER      []byte    `json:"cert_der,omitempty"`   // base64, as the real API (expand=cert_der)
	PubkeyDER    []byte    `json:"pubkey_der,omitempty"` // base64 (expand=pubkey_der)
	NotBefore    string    `json:"not_before"`
	NotAfter     string    `json:"not_after"`
	Revoked      bool      `json:"revoked"`
}

func coversDomain(name, domain string, subdomains bool) bool {
	name = strings.ToLower(name)
	if name == domain || name == "*."+domain {
		return true
	}
	return subdomains && strings.HasSuffix(name, "."+domain)
}

func (l *Lab) serveCertspotter(w http.ResponseWriter, r *http.Request) {
	const ctype = "application/json"
	if r.URL.Path != "/v1/issuances" {
		writeJSON(w, http.StatusNotFound, ctype, map[string]string{"code": "not_found", "message": "The requested resource was not found."})
		return
	}
	q := r.URL.Query()
	domain := strings.ToLower(strings.TrimSuffix(q.Get("domain"), "."))
	if domain == "" {
		writeJSON(w, http.StatusBadRequest, ctype, map[string]string{"code": "bad_request", "message": "The domain parameter is required."})
		return
	}
	subs := q.Get("include_subdomains") == "true"
	if n := l.c.ctBytes(domain); n > 0 {
		l.streamJSONArray(w, n, certspotterItem(domain))
		return
	}
	var after uint64
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, ctype, map[string]string{"code": "bad_request", "message": "The after parameter is malformed."})
			return
		}
		after = n
	}
	expand := map[string]bool{}
	for _, e := range q["expand"] {
		for _, p := range strings.Split(e, ",") {
			expand[p] = true
		}
	}
	out := []csIssuance{}
	for _, is := range l.issued {
		if is.id <= after {
			continue
		}
		match := false
		for _, n := range is.names {
			if coversDomain(n, domain, subs) {
				match = true
				break
			}
		}
		if !match {
			continue
		}
		ci := csIssuance{ID: strconv.FormatUint(is.id, 10), TBSSHA256: is.tbs, CertSHA256: is.cert, PubkeySHA256: is.pubkey,
			NotBefore: is.notBefore.Format(time.RFC3339), NotAfter: is.notAfter.Format(time.RFC3339)}
		if expand["dns_names"] {
			ci.DNSNames = is.names
		}
		if expand["issuer"] {
			ci.Issuer = &csIssuer{FriendlyName: dnAttr(is.issuer, "O"), Name: is.issuer}
		}
		if expand["cert_der"] {
			ci.CertDER = is.der
		}
		if expand["pubkey_der"] {
			ci.PubkeyDER = is.pubkeyDER
		}
		out = append(out, ci)
		if len(out) >= l.opts.CTPageSize {
			break
		}
	}
	writeJSON(w, http.StatusOK, ctype, out)
}

func dnAttr(dn, key string) string {
	attrs, _ := parseDN(dn)
	for _, a := range attrs {
		if a[0] == key {
			return a[1]
		}
	}
	return ""
}

// ---- crt.sh -----------------------------------------------------------

type crtshRow struct {
	IssuerCAID     int    `json:"issuer_ca_id"`
	IssuerName     string `json:"issuer_name"`
	CommonName     string `json:"common_name"`
	NameValue      string `json:"name_value"`
	ID             uint64 `json:"id"`
	EntryTimestamp string `json:"entry_timestamp"`
	NotBefore      string `json:"not_before"`
	NotAfter       string `json:"not_after"`
	SerialNumber   string `json:"serial_number"`
	ResultCount    int    `json:"result_count"`
}

// likePattern turns a crt.sh identity (SQL LIKE with %) into a matcher.
// "%.example.com" also matches example.com itself, as crt.sh's identity
// search does.
func likePattern(q string) func(string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if rest, ok := strings.CutPrefix(q, "%."); ok && !strings.Contains(rest, "%") {
		return func(n string) bool { return n == rest || strings.HasSuffix(n, "."+rest) }
	}
	if !strings.Contains(q, "%") {
		return func(n string) bool { return n == q }
	}
	parts := strings.Split(q, "%")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re := regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
	return re.MatchString
}

func (l *Lab) serveCrtsh(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ident := q.Get("q")
	if ident == "" {
		ident = q.Get("identity")
	}
	if ident == "" {
		ident = q.Get("dNSName")
	}
	if q.Get("output") != "json" {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = fmt.Fprint(w, "<!DOCTYPE HTML><html><head><title>crt.sh | Certificate Search</title></head><body>Use output=json.</body></html>\n")
		return
	}
	if n := l.c.ctBytes(strings.TrimPrefix(strings.ToLower(ident), "%.")); n > 0 {
		l.streamJSONArray(w, n, crtshItem(strings.TrimPrefix(strings.ToLower(ident), "%.")))
		return
	}
	match := likePattern(ident)
	excludeExpired := q.Get("exclude") == "expired"
	out := []crtshRow{}
	for i := len(l.issued) - 1; i >= 0; i-- {
		is := l.issued[i]
		if excludeExpired && is.notAfter.Before(l.c.now) {
			continue
		}
		var hit []string
		seen := map[string]bool{}
		for _, n := range is.names {
			n = strings.ToLower(n)
			if match(n) && !seen[n] {
				hit = append(hit, n)
				seen[n] = true
			}
		}
		if len(hit) == 0 {
			continue
		}
		const layout = "2006-01-02T15:04:05"
		out = append(out, crtshRow{
			IssuerCAID: int(hashString(is.issuer) % 300000), IssuerName: is.issuer, CommonName: is.cn,
			NameValue: strings.Join(hit, "\n"), ID: is.id*2 + 3000000000,
			EntryTimestamp: is.notBefore.Add(47*time.Minute + 123*time.Millisecond).Format("2006-01-02T15:04:05.000"),
			NotBefore:      is.notBefore.Format(layout), NotAfter: is.notAfter.Format(layout),
			SerialNumber: is.serial, ResultCount: len(hit),
		})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
}

// ---- InternetDB -------------------------------------------------------

type internetDBAnswer struct {
	CPEs      []string `json:"cpes"`
	Hostnames []string `json:"hostnames"`
	IP        string   `json:"ip"`
	Ports     []int    `json:"ports"`
	Tags      []string `json:"tags"`
	Vulns     []string `json:"vulns"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (l *Lab) serveInternetDB(w http.ResponseWriter, r *http.Request) {
	const ctype = "application/json"
	a, err := netip.ParseAddr(strings.TrimPrefix(r.URL.Path, "/"))
	if err != nil {
		writeJSON(w, http.StatusNotFound, ctype, map[string]string{"detail": "Not Found"})
		return
	}
	ip := l.c.ips[a.Unmap()]
	if ip == nil || len(ip.Ports)+len(ip.CPEs)+len(ip.Hostnames)+len(ip.Tags)+len(ip.Vulns) == 0 {
		writeJSON(w, http.StatusNotFound, ctype, map[string]string{"detail": "No information available"})
		return
	}
	ports := append([]int{}, ip.Ports...)
	sort.Ints(ports)
	vulns := append([]string{}, ip.Vulns...)
	sort.Strings(vulns)
	writeJSON(w, http.StatusOK, ctype, internetDBAnswer{CPEs: nonNil(ip.CPEs), Hostnames: nonNil(ip.Hostnames),
		IP: a.Unmap().String(), Ports: ports, Tags: nonNil(ip.Tags), Vulns: vulns})
}

// ---- RDAP -------------------------------------------------------------

func (l *Lab) serveRDAP(w http.ResponseWriter, r *http.Request) {
	const ctype = "application/rdap+json"
	base := "http://" + r.Host + "/rdap/"
	switch {
	case r.URL.Path == "/rdap/dns.json":
		var tlds []string
		for t := range l.w.TLDs {
			tlds = append(tlds, strings.ToLower(strings.Trim(t, ".")))
		}
		sort.Strings(tlds)
		writeJSON(w, http.StatusOK, "application/json", map[string]any{
			"description": "RDAP bootstrap file for Domain Name System registrations",
			"publication": l.c.now.Format("2006-01-02T15:04:05Z"),
			"services":    [][][]string{{tlds, {base}}},
			"version":     "1.0",
		})
	case strings.HasPrefix(r.URL.Path, "/rdap/domain/"):
		d := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/rdap/domain/"), "."))
		dd := l.c.domains[d]
		if dd == nil || dd.Whois == nil {
			writeJSON(w, http.StatusNotFound, ctype, map[string]any{"errorCode": 404, "title": "Not Found", "description": []string{"The domain " + d + " is not registered."}})
			return
		}
		writeJSON(w, http.StatusOK, ctype, l.c.rdapDomain(d, dd.Whois, base))
	default:
		writeJSON(w, http.StatusNotFound, ctype, map[string]any{"errorCode": 404, "title": "Not Found"})
	}
}

// eppWords turns "clientTransferProhibited" into "client transfer prohibited".
func eppWords(s string) string {
	s = strings.Fields(s + " ")[0]
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func (c *compiled) rdapDomain(d string, wi *Whois, base string) map[string]any {
	f := c.facts(d, wi)
	status := []string{}
	for _, s := range f.status {
		status = append(status, eppWords(s))
	}
	var ns []map[string]any
	for _, n := range f.ns {
		ns = append(ns, map[string]any{"objectClassName": "nameserver", "ldhName": strings.ToUpper(n)})
	}
	return map[string]any{
		"objectClassName": "domain",
		"handle":          f.domainID,
		"ldhName":         strings.ToUpper(d),
		"links":           []map[string]string{{"value": base + "domain/" + strings.ToUpper(d), "rel": "self", "href": base + "domain/" + strings.ToUpper(d), "type": "application/rdap+json"}},
		"status":          status,
		"entities": []map[string]any{{
			"objectClassName": "entity", "handle": f.ianaID, "roles": []string{"registrar"},
			"publicIds":  []map[string]string{{"type": "IANA Registrar ID", "identifier": f.ianaID}},
			"vcardArray": []any{"vcard", []any{[]any{"version", map[string]any{}, "text", "4.0"}, []any{"fn", map[string]any{}, "text", f.registrar}}},
			"entities": []map[string]any{{"objectClassName": "entity", "roles": []string{"abuse"},
				"vcardArray": []any{"vcard", []any{[]any{"version", map[string]any{}, "text", "4.0"}, []any{"fn", map[string]any{}, "text", ""},
					[]any{"tel", map[string]any{"type": "voice"}, "uri", "tel:" + f.abusePhone}, []any{"email", map[string]any{}, "text", f.abuseEmail}}}}},
		}},
		"events": []map[string]string{
			{"eventAction": "registration", "eventDate": f.created},
			{"eventAction": "expiration", "eventDate": f.expires},
			{"eventAction": "last changed", "eventDate": f.updated},
			{"eventAction": "last update of RDAP database", "eventDate": c.now.Format("2006-01-02T15:04:05Z")},
		},
		"secureDNS":       map[string]bool{"delegationSigned": f.dnssec != "unsigned"},
		"nameservers":     ns,
		"rdapConformance": []string{"rdap_level_0", "icann_rdap_response_profile_0", "icann_rdap_technical_implementation_guide_0"},
	}
}

// ---- keyed services ---------------------------------------------------

// serveKeyed answers the keyed APIs (VirusTotal, AbuseIPDB) as they answer
// a request without a valid key: the lab holds no keys.
func serveKeyed(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/v2/") {
		writeJSON(w, http.StatusUnauthorized, "application/json", map[string]any{"errors": []map[string]any{{
			"detail": "Authentication failed. Your API key is either missing, incorrect, or revoked. Note: The APIv2 key differs from the APIv1 key.", "status": 401}}})
		return
	}
	writeJSON(w, http.StatusUnauthorized, "application/json", map[string]any{"error": map[string]string{
		"code": "WrongCredentialsError", "message": "Wrong API key"}})
}
