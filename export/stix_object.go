// stix_object.go holds one STIX object as written (properties in insertion
// order, indented JSON without HTML escaping) and the deterministic ids of
// objects (SCONamespace, SDONamespace).

package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
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
		keys := slices.Sorted(maps.Keys(x))
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
