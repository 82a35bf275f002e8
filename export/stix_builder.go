// stix_builder.go holds the streaming bundle writer (stixBuilder: each
// object written once, as its id first comes up) and the constructors of the
// objects an entity, an address, a certificate or a relation becomes.

package export

import (
	"hash"
	"io"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

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
		keys := slices.Sorted(maps.Keys(m))
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
