// stix_builder.go holds the streaming bundle writer (stixBuilder: each
// object written once, as its id first comes up) and the constructors of the
// objects an entity, an address, a certificate or a relation becomes.

package export

import (
	"encoding/hex"
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
	// idHash, scratch and sum hash a relationship's id; relHead (relID) is the
	// start every relationship shares (relationshipHead).
	idHash  hash.Hash
	scratch []byte
	sum     []byte
	relHead []byte
	relID   int
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
	return b.firstUUID(u, []byte(id))
}

// firstUUID is first for the id whose UUID is u (id is "type--" and u).
func (b *stixBuilder) firstUUID(u uuid.UUID, id []byte) bool {
	if _, dup := b.seen[u]; dup || b.err != nil {
		return false
	}
	b.seen[u] = struct{}{}
	b.ids.Write(id)
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
// stixObject.appendTo gives, instead of through a map: its id is hashed
// with one reused hasher (sdoID's value), and the properties every
// relationship shares are encoded once (relationshipHead).
func (b *stixBuilder) relationship(src, rtype, dst, desc string) {
	const typ = "relationship"
	b.scratch = append(append(b.scratch[:0], typ...), 0)
	b.scratch = append(append(append(append(append(b.scratch, src...), 0), rtype...), 0), dst...)
	u := b.sdoUUID()
	var idb [len(typ) + 2 + 36]byte
	copy(idb[:], typ+"--")
	encodeUUID(idb[len(typ)+2:], u)
	if !b.firstUUID(u, idb[:]) {
		return
	}
	if b.relHead == nil {
		b.relationshipHead()
	}
	b.buf = append(b.buf, b.relHead[:b.relID]...)
	b.buf = append(append(append(b.buf, '"'), idb[:]...), '"') // appendJSONString: ASCII letters, digits, dashes
	b.buf = append(b.buf, b.relHead[b.relID:]...)
	b.buf = appendJSONString(b.buf, rtype)
	b.buf = appendProp(b.buf, "source_ref", src)
	b.buf = appendProp(b.buf, "target_ref", dst)
	if desc != "" {
		b.buf = appendProp(b.buf, "description", sanitize.Line(desc))
	}
	b.buf = newline(b.buf, 2)
	b.buf = append(b.buf, '}')
	b.written()
}

// sdoUUID is the UUID of sdoID for the name in scratch (uuid.NewSHA1
// with the builder's hasher and no allocation).
func (b *stixBuilder) sdoUUID() uuid.UUID {
	h := b.idHash
	h.Reset()
	h.Write(SDONamespace[:])
	h.Write(b.scratch)
	b.sum = h.Sum(b.sum[:0])
	var u uuid.UUID
	copy(u[:], b.sum)
	u[6] = u[6]&0x0f | 5<<4 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// relationshipHead encodes what every relationship starts with: relHead
// holds the properties up to the id's value (at relID) and from there up to
// relationship_type's value.
func (b *stixBuilder) relationshipHead() {
	h := append([]byte{'{'}, newline(nil, 3)...)
	h = appendJSONString(h, "type")
	h = append(h, ':', ' ')
	h = appendJSONString(h, "relationship")
	h = appendProp(h, "spec_version", "2.1")
	h = append(h, ',')
	h = newline(h, 3)
	h = appendJSONString(h, "id")
	h = append(h, ':', ' ')
	b.relID = len(h)
	h = appendProp(h, "created_by_ref", b.identity)
	h = appendProp(h, "created", ts(b.created))
	h = appendProp(h, "modified", ts(maxTime(b.created, b.modified)))
	h = append(h, ',')
	h = newline(h, 3)
	h = appendJSONString(h, "relationship_type")
	b.relHead = append(h, ':', ' ')
}

// appendProp appends ",", a new line and "key": value, a property of a
// relationship after its first.
func appendProp(dst []byte, key, value string) []byte {
	dst = append(dst, ',')
	dst = newline(dst, 3)
	dst = appendJSONString(dst, key)
	dst = append(dst, ':', ' ')
	return appendJSONString(dst, value)
}

// encodeUUID writes u in its 36-character form (uuid.UUID.String) to dst.
func encodeUUID(dst []byte, u uuid.UUID) {
	hex.Encode(dst, u[:4])
	dst[8] = '-'
	hex.Encode(dst[9:13], u[4:6])
	dst[13] = '-'
	hex.Encode(dst[14:18], u[6:8])
	dst[18] = '-'
	hex.Encode(dst[19:23], u[8:10])
	dst[23] = '-'
	hex.Encode(dst[24:], u[10:])
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
