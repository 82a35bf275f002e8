package export

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// SCONamespace is the STIX 2.1 namespace for deterministic identifiers of
// cyber-observable objects (STIX 2.1 §2.9).
var SCONamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// SDONamespace is netspecter-tui's namespace for the identifiers of the
// domain objects and relationships it writes, so that exporting the same
// session twice yields the same ids.
var SDONamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/netspecter/netspecter-tui/stix"))

// stixObject is one STIX object whose properties are written in insertion
// order (type and id first), which reads better than sorted keys.
type stixObject struct {
	keys []string
	vals map[string]any
}

func newObject(kv ...any) *stixObject {
	o := &stixObject{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

func (o *stixObject) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *stixObject) get(k string) any { return o.vals[k] }

func (o *stixObject) id() string { s, _ := o.vals["id"].(string); return s }

// appendTo appends o as indented JSON (two spaces a level, as
// json.Encoder.SetIndent("", "  ") would at depth), properties in insertion
// order, strings through appendJSONString.
func (o *stixObject) appendTo(dst []byte, depth int) []byte {
	dst = append(dst, '{')
	for i, k := range o.keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = newline(dst, depth+1)
		dst = appendJSONString(dst, k)
		dst = append(dst, ':', ' ')
		dst = appendValue(dst, o.vals[k], depth+1)
	}
	dst = newline(dst, depth)
	return append(dst, '}')
}

func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// appendValue appends the property values a STIX object holds here.
func appendValue(dst []byte, v any, depth int) []byte {
	switch x := v.(type) {
	case string:
		return appendJSONString(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case uint64:
		return strconv.AppendUint(dst, x, 10)
	case []string:
		if len(x) == 0 {
			return append(dst, '[', ']')
		}
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = appendJSONString(dst, e)
		}
		dst = newline(dst, depth)
		return append(dst, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = appendJSONString(dst, k)
			dst = append(dst, ':', ' ')
			dst = appendValue(dst, x[k], depth+1)
		}
		dst = newline(dst, depth)
		return append(dst, '}')
	case *stixObject:
		return x.appendTo(dst, depth)
	}
	b, _ := marshalNoHTML(v) // not reached by the objects written here
	return append(dst, safeJSON(b)...)
}

func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

var sha256Hex = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

// canonical encodes v as RFC 8785-style canonical JSON: sorted keys, no
// insignificant whitespace, no HTML escaping. That is what the STIX 2.1
// spec hashes into an SCO's UUIDv5.
func canonical(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // maps of strings and numbers cannot fail
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// scoID returns the deterministic id of an SCO from its id contributing
// properties.
func scoID(typ string, contributing map[string]any) string {
	return typ + "--" + uuid.NewSHA1(SCONamespace, canonical(contributing)).String()
}

// sdoID returns a deterministic id for a non-SCO object from the strings
// that identify it.
func sdoID(typ string, parts ...string) string {
	return typ + "--" + uuid.NewSHA1(SDONamespace, []byte(typ+"\x00"+strings.Join(parts, "\x00"))).String()
}

// ts formats a STIX timestamp (UTC, millisecond precision, Z).
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// stixBuilder writes a bundle as it builds it: each object is written
// once (the first time its id comes up) and forgotten, so memory does not
// grow with the output. The bundle's id, a UUIDv5 over the ids in bundle
// order, is written after the objects.
type stixBuilder struct {
	s        *pivot.Session
	o        Options
	w        io.Writer
	buf      []byte
	n        int                    // objects written
	err      error                  // first write error
	seen     map[uuid.UUID]struct{} // ids written
	ids      hash.Hash              // over the ids in bundle order
	ofEntity map[*pivot.Entity]stixRef
	certs    map[string]recon.CertFacts     // sha256 (lower) → facts
	favicons map[string]*recon.FaviconFacts // Shodan hash → facts
	asOrg    map[uint64]string
	identity string
	created  time.Time
	modified time.Time
	// createdTS and modifiedTS are ts(created), ts(modified), formatted once.
	createdTS, modifiedTS string
}

// stixRef is the object standing for an entity: its id and, for an
// observable with one, its value.
type stixRef struct{ id, value string }

// add writes o unless an object with its id was written; it returns the id.
func (b *stixBuilder) add(o *stixObject) string {
	id := o.id()
	if b.first(id) {
		b.buf = o.appendTo(b.buf, 2)
		b.written()
	}
	return id
}

// first reports whether id is new (and then starts its object in the
// output: the separator and indentation); false for an id already written.
func (b *stixBuilder) first(id string) bool {
	u, err := uuid.Parse(id[strings.Index(id, "--")+2:])
	if err != nil {
		u = uuid.NewSHA1(SDONamespace, []byte(id)) // not reached: every id here is type--uuid
	}
	if _, dup := b.seen[u]; dup || b.err != nil {
		return false
	}
	b.seen[u] = struct{}{}
	b.ids.Write([]byte(id))
	b.ids.Write([]byte{0})
	if b.n > 0 {
		b.buf = append(b.buf, ',')
	}
	b.n++
	b.buf = newline(b.buf, 2)
	return true
}

// written flushes the buffer once it holds enough.
func (b *stixBuilder) written() {
	if len(b.buf) > 64<<10 {
		b.flush()
	}
}

func (b *stixBuilder) flush() {
	if b.err == nil && len(b.buf) > 0 {
		_, b.err = b.w.Write(b.buf)
	}
	b.buf = b.buf[:0]
}

func (b *stixBuilder) sdo(typ, id string, created, modified time.Time) *stixObject {
	if modified.Before(created) {
		modified = created
	}
	return newObject("type", typ, "spec_version", "2.1", "id", id,
		"created_by_ref", b.identity, "created", ts(created), "modified", ts(modified))
}

func sco(typ string, contributing map[string]any, props map[string]any) *stixObject {
	o := newObject("type", typ, "spec_version", "2.1", "id", scoID(typ, contributing))
	for _, m := range []map[string]any{contributing, props} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			o.set(k, m[k])
		}
	}
	return o
}

// ipObject returns an ipv4-addr or ipv6-addr for an address or a CIDR.
func ipObject(v string) *stixObject {
	v = strings.TrimSpace(v)
	typ := ""
	if a, err := netip.ParseAddr(v); err == nil {
		typ = "ipv6-addr"
		if a.Unmap().Is4() {
			typ, v = "ipv4-addr", a.Unmap().String()
		}
	} else if p, err := netip.ParsePrefix(v); err == nil {
		typ = "ipv6-addr"
		if p.Addr().Is4() {
			typ = "ipv4-addr"
		}
		v = p.Masked().String()
	}
	if typ == "" {
		return nil
	}
	return sco(typ, map[string]any{"value": v}, nil)
}

func (b *stixBuilder) certObject(sha string) *stixObject {
	sha = strings.ToLower(sha)
	if !sha256Hex.MatchString(sha) {
		return nil
	}
	contrib := map[string]any{"hashes": map[string]any{"SHA-256": sha}}
	props := map[string]any{}
	if c, ok := b.certs[sha]; ok {
		if c.Serial != "" {
			contrib["serial_number"] = c.Serial
		}
		if c.Subject != "" {
			props["subject"] = c.Subject
		}
		if c.Issuer != "" {
			props["issuer"] = c.Issuer
		}
		if !c.NotBefore.IsZero() {
			props["validity_not_before"] = ts(c.NotBefore)
		}
		if !c.NotAfter.IsZero() {
			props["validity_not_after"] = ts(c.NotAfter)
		}
		props["is_self_signed"] = c.SelfSigned
	}
	return sco("x509-certificate", contrib, props)
}

// entityObject returns the STIX object standing for an entity, or nil when
// STIX has no fitting object (a public-key hash) or the value is malformed.
func (b *stixBuilder) entityObject(e *pivot.Entity) *stixObject {
	switch e.Kind {
	case recon.PivotDomain, recon.PivotSubdomain, recon.PivotNS, recon.PivotMX:
		v := strings.TrimSuffix(e.Value, ".")
		if v == "" {
			return nil
		}
		return sco("domain-name", map[string]any{"value": v}, nil)
	case recon.PivotIP, recon.PivotNetwork:
		return ipObject(e.Value)
	case recon.PivotASN:
		n, ok := parseASN(e.Value)
		if !ok {
			return nil
		}
		var props map[string]any
		if org := b.asOrg[n]; org != "" {
			props = map[string]any{"name": org}
		}
		return sco("autonomous-system", map[string]any{"number": n}, props)
	case recon.PivotCert:
		return b.certObject(e.Value)
	case recon.PivotFavicon:
		return faviconObject(e.Value, b.favicons[e.Value])
	case recon.PivotEmail:
		if e.Value == "" {
			return nil
		}
		return sco("email-addr", map[string]any{"value": e.Value}, nil)
	case recon.PivotRegistrar:
		if strings.TrimSpace(e.Value) == "" {
			return nil
		}
		o := b.sdo("identity", sdoID("identity", "registrar", strings.ToLower(e.Value)), b.created, b.modified)
		o.set("name", sanitize.Line(e.Value))
		o.set("identity_class", "organization")
		o.set("description", "Domain registrar seen in WHOIS")
		return o
	}
	return nil
}

func relationType(rel string) string {
	switch rel {
	case recon.RelA, recon.RelAAAA, recon.RelCNAME:
		return "resolves-to"
	case recon.RelASN, recon.RelNetwork:
		return "belongs-to"
	}
	return "related-to"
}

// relationship writes a relationship object. There is one per pivot edge
// (a million in a big case), so it is appended directly, in the layout
// stixObject.appendTo gives, instead of through a map.
func (b *stixBuilder) relationship(src, rtype, dst, desc string) {
	id := sdoID("relationship", src, rtype, dst)
	if !b.first(id) {
		return
	}
	if b.createdTS == "" {
		b.createdTS, b.modifiedTS = ts(b.created), ts(maxTime(b.created, b.modified))
	}
	kv := [...]string{"type", "relationship", "spec_version", "2.1", "id", id, "created_by_ref", b.identity,
		"created", b.createdTS, "modified", b.modifiedTS, "relationship_type", rtype, "source_ref", src, "target_ref", dst,
		"description", sanitize.Line(desc)}
	n := len(kv)
	if desc == "" {
		n -= 2
	}
	b.buf = append(b.buf, '{')
	for i := 0; i < n; i += 2 {
		if i > 0 {
			b.buf = append(b.buf, ',')
		}
		b.buf = newline(b.buf, 3)
		b.buf = appendJSONString(b.buf, kv[i])
		b.buf = append(b.buf, ':', ' ')
		b.buf = appendJSONString(b.buf, kv[i+1])
	}
	b.buf = newline(b.buf, 2)
	b.buf = append(b.buf, '}')
	b.written()
}

func stixString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

func writeSTIX(w io.Writer, s *pivot.Session, o Options) error {
	b := &stixBuilder{
		s: s, o: o, w: w, seen: map[uuid.UUID]struct{}{}, ids: sha1.New(), ofEntity: map[*pivot.Entity]stixRef{},
		certs: map[string]recon.CertFacts{}, asOrg: map[uint64]string{},
		created: s.Created, modified: s.Updated,
	}
	if b.created.IsZero() {
		b.created = o.Now
	}
	if b.modified.Before(b.created) {
		b.modified = b.created
	}
	g, err := buildGraph(s, o)
	if err != nil {
		return err
	}
	b.favicons = faviconFacts(g.Entities)
	for _, e := range g.Entities {
		if e.Scan == nil {
			continue
		}
		if sf := recon.FactsOf[recon.SSLFacts](e.Scan, recon.ModuleSSL); sf != nil {
			for _, c := range sf.Certs {
				if _, ok := b.certs[strings.ToLower(c.SHA256)]; !ok {
					b.certs[strings.ToLower(c.SHA256)] = c
				}
			}
		}
		if gf := recon.FactsOf[recon.GeoFacts](e.Scan, recon.ModuleGeoIP); gf != nil {
			for _, x := range gf.IPs {
				if x.ASN != 0 && x.ASOrg != "" && b.asOrg[uint64(x.ASN)] == "" {
					b.asOrg[uint64(x.ASN)] = x.ASOrg
				}
			}
		}
	}
	b.buf = append(b.buf, "{\n  \"type\": \"bundle\",\n  \"objects\": ["...)

	// The tool's identity never changes, so its timestamps are fixed.
	since := ts(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	b.identity = b.add(newObject("type", "identity", "spec_version", "2.1", "id", sdoID("identity", "netspecter-tui"),
		"created", since, "modified", since, "name", "netspecter-tui", "identity_class", "system",
		"description", "Passive OSINT workbench that produced this bundle"))

	// Observables (and registrar identities), one per entity.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		if x := b.entityObject(e); x != nil {
			v, _ := x.get("value").(string)
			b.ofEntity[e] = stixRef{b.add(x), v}
		}
	}
	// Certificates seen in scans but not pivoted to.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		if e.Scan == nil || b.ofEntity[e].id == "" {
			continue
		}
		if sf := recon.FactsOf[recon.SSLFacts](e.Scan, recon.ModuleSSL); sf != nil {
			for _, c := range sf.Certs {
				if x := b.certObject(c.SHA256); x != nil {
					b.relationship(b.ofEntity[e].id, "related-to", b.add(x), "certificate presented at "+c.Address)
				}
			}
		}
	}
	// Relationships: the pivot edges.
	for i, ed := range g.Edges {
		if err := b.check(i); err != nil {
			return err
		}
		src, dst := b.ofEntity[ed.From].id, b.ofEntity[ed.To].id
		if src == "" || dst == "" || src == dst {
			continue
		}
		b.relationship(src, relationType(ed.Relation), dst, "pivot: "+ed.Relation)
	}
	// Analytics IDs, verification tokens and page hashes: notes.
	b.fingerprintNotes(g.Entities)
	// Indicators for red verdicts.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		ref := b.ofEntity[e]
		if e.Verdict() != recon.LevelRed || ref.id == "" {
			continue
		}
		typ := strings.SplitN(ref.id, "--", 2)[0]
		switch typ {
		case "domain-name", "ipv4-addr", "ipv6-addr", "email-addr":
		default:
			continue
		}
		pattern := fmt.Sprintf("[%s:value = '%s']", typ, stixString(ref.value))
		var reasons []string
		for _, sg := range signals(e) {
			if sg.Level == recon.LevelRed || sg.Level == recon.LevelYellow {
				reasons = append(reasons, sanitize.Line(fmt.Sprintf("%s: %s (%s/%s)", levelName(sg.Level), sg.Text, sg.Module, sg.Rule)))
			}
		}
		// created and valid_from: when the value entered the case (its
		// first_seen, which a rescan does not move); modified: the last scan.
		last := e.ScannedAt
		if last.IsZero() {
			last = b.created
		}
		at := e.FirstSeen
		if at.IsZero() || at.After(last) {
			at = last
		}
		ind := b.sdo("indicator", sdoID("indicator", pattern), at, maxTime(last, b.modified))
		ind.set("name", "netspecter red verdict: "+sanitize.Line(ref.value))
		ind.set("description", "Overall Assessment red. Reasons:\n"+strings.Join(reasons, "\n"))
		ind.set("indicator_types", []string{"anomalous-activity"})
		ind.set("pattern", pattern)
		ind.set("pattern_type", "stix")
		ind.set("pattern_version", "2.1")
		ind.set("valid_from", ts(at))
		ind.set("labels", []string{"netspecter", "verdict-red"})
		b.relationship(b.add(ind), "based-on", ref.id, "")
	}
	// Groupings for clusters: one per cluster, its members once.
	for i, c := range s.Clusters() {
		if err := b.check(i); err != nil {
			return err
		}
		var refs []string
		in := map[string]bool{}
		for _, m := range c.Members {
			if e := g.entityByValue(m); e != nil && b.ofEntity[e].id != "" && !in[b.ofEntity[e].id] {
				in[b.ofEntity[e].id] = true
				refs = append(refs, b.ofEntity[e].id)
			}
		}
		if len(refs) == 0 {
			continue
		}
		members := append([]string(nil), c.Members...)
		sort.Strings(members)
		gr := b.sdo("grouping", sdoID("grouping", members...), b.created, b.modified)
		gr.set("name", sanitize.Line(fmt.Sprintf("netspecter cluster %s: %s", clusterName(c, i), listSome(c.Members, 10))))
		gr.set("description", sanitize.Line(fmt.Sprintf("%d scanned domains sharing infrastructure (score %.2f): %s", len(c.Members), c.Score, listSome(c.Shared, 30))))
		gr.set("context", "suspicious-activity")
		gr.set("object_refs", refs)
		b.add(gr)
	}
	// Notes: analyst notes and false positives.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		ref := b.ofEntity[e].id
		if ref == "" {
			ref = b.identity
		}
		for _, n := range e.Notes {
			at := n.At
			if at.IsZero() {
				at = b.created
			}
			no := b.sdo("note", sdoID("note", string(e.Key), ts(at), n.Text), at, at)
			no.set("abstract", sanitize.Line("Analyst note on "+e.Value))
			no.set("content", sanitize.Text(n.Text))
			no.set("object_refs", []string{ref})
			b.add(no)
		}
		keys := make([]string, 0, len(e.FalsePositives))
		for k := range e.FalsePositives {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			no := b.sdo("note", sdoID("note", string(e.Key), "false-positive", k), b.created, b.modified)
			no.set("abstract", sanitize.Line("False positive on "+e.Value+": "+k))
			no.set("content", sanitize.Text(e.FalsePositives[k]))
			no.set("object_refs", []string{ref})
			b.add(no)
		}
	}
	b.buf = append(b.buf, "\n  ],\n  \"id\": "...)
	b.buf = appendJSONString(b.buf, "bundle--"+uuid.NewSHA1(SDONamespace, b.ids.Sum(nil)).String())
	b.buf = append(b.buf, "\n}\n"...)
	b.flush()
	return b.err
}

// check returns the first write error, or the context's error every
// checkEvery steps.
func (b *stixBuilder) check(i int) error {
	if b.err != nil {
		return b.err
	}
	if i%checkEvery == 0 {
		return b.o.cancelled()
	}
	return nil
}

// listSome joins the first n of list, then says how many more there are.
func listSome(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:n], ", ") + fmt.Sprintf(" and %d more", len(list)-n)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
