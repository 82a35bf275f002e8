package recon

import (
	"encoding"
	"encoding/json"
	"hash/maphash"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The fast path of Report.UnmarshalJSON.
//
// A session file holds hundreds of reports, and decoding them was most of
// the cost of opening one (issue 17: 475 ms of CPU for the 300 reports of
// the bench300 session, 278 ms of it the ssl module, whose facts list the
// same 300 SANs in every report). encoding/json reads each byte twice in
// a stream (Decoder.readValue cuts the value, then decodes it), through a
// state machine and reflection at every level.
//
// decodeReport reads a report in one pass over its bytes: a hand-written
// cursor (decoder) for the syntax, and for the values a decoding plan per
// Go type (typePlan), built once by reflection from the same struct tags
// encoding/json reads. Strings without escapes are taken as they stand,
// the common escapes are decoded by hand, and short strings are interned
// (intern): the 300 copies of a certificate's SAN list in a session become
// one set of strings in memory.
//
// The fast path accepts only what the reference decoder (Report.decodeStream,
// the encoding/json walk it replaces) accepts, and builds the same report
// from it. On anything else it gives up and the report is decoded again
// by the reference, which then gives the very result or error it always
// gave. It gives up on:
//
//   - any syntax error, a depth over maxFastDepth, anything after the
//     report but white space;
//   - a key with an escape or a byte beyond ASCII, a key that is not
//     exactly a field's JSON name (encoding/json folds case and ignores
//     unknown keys), a repeated key in a report, a module or any struct
//     (encoding/json merges them);
//   - a value of another JSON type than its field's (a number for a string,
//     a string for a number), a number its field cannot hold; "modules" or
//     a module that is not an object.
//
// A string with a \u escape of a UTF-16 surrogate or with invalid UTF-8
// (encoding/json's replacement rules) is decoded by json.Unmarshal, as is
// any value of a type the plans do not read (an interface without a
// pointer in it, []byte, arrays, json.Number, text unmarshalers, structs
// with ",string" fields or embedded pointers): the same decoding of the
// same bytes. If that fails, the fast path gives up.
//
// TestFastDecodeLikeStream, TestFastDecodeMutations and FuzzReportDecode
// hold it to the reference; TestDecodeValueLikeUnmarshal and
// FuzzDecodeValue hold the plans to json.Unmarshal for shapes today's
// facts do not have.

// maxFastDepth bounds the nesting the fast path follows (encoding/json
// allows 10000 and then fails: the reference says so).
const maxFastDepth = 1000

// maxInterned is the longest string interned: names, kinds, statuses,
// issuers, signal texts; not WHOIS records or PEM blocks, which are not
// repeated across reports.
const maxInterned = 256

// interned is the table of intern: a cache of strings by hash, in sets
// of two slots. A string found in the second slot of its set moves to the
// first; a new one goes into the second, evicting what was there. So a
// string met once (most of a report's) only ever takes a second slot, and
// the strings met again and again (the SANs every report of a session
// repeats, kinds, issuers) keep the first. A lookup is a hash, an atomic
// load or two and a compare. A session with more distinct names than
// slots shares less, never wrongly; slots racing lose a share, not a
// value. The table keeps at most 32,768 strings of up to maxInterned
// bytes alive: 8 MB at worst, 200 kB (2,728 strings) after decoding the
// bench300 session and the session files of testdata.
//
// Not unique.Make(s).Value(): unique forgets a value at the first garbage
// collection after its last Handle is dropped, and a Value keeps no
// Handle. Of the 90,000 SANs of the bench300 session (300 distinct),
// loading it left 10,199 copies with unique at GOGC=5 (197 collections),
// and 860 to 1,020 with this table whatever GOGC (1,000 to 1,540 with
// one slot per set): a few kB more than perfect, 99 % of the copies gone.
var interned [1 << 14][2]atomic.Pointer[string]

var internSeed = maphash.MakeSeed()

// intern returns b as a string, shared with earlier strings of the same
// value for short ones: decoded reports share their repeated names.
func intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxInterned {
		return string(b)
	}
	set := &interned[maphash.Bytes(internSeed, b)&(uint64(len(interned))-1)]
	if p := set[0].Load(); p != nil && *p == string(b) {
		return *p
	}
	if p := set[1].Load(); p != nil && *p == string(b) {
		set[1].Store(set[0].Swap(p)) // met again: keep it first
		return *p
	}
	s := string(b)
	set[1].Store(&s)
	return s
}

// decoder is a cursor over the bytes of one report.
type decoder struct {
	b     []byte
	i     int
	depth int
	buf   []byte // scratch for strings with escapes
	// Scratch for the hot lists, copied out at their exact length: no
	// doubling garbage, no spare capacity kept in the session.
	sbuf []string
	pbuf []Pivot
}

// decoders keep decoders, and the capacity of their scratch, from one
// report to the next.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// newDecoder returns a decoder at the start of b.
func newDecoder(b []byte) *decoder {
	d := decoders.Get().(*decoder)
	d.b, d.i, d.depth = b, 0, 0
	return d
}

// free hands d back to decoders (its scratch holds no strings: see
// strings, pivots).
func (d *decoder) free() {
	d.b = nil
	decoders.Put(d)
}

// space skips JSON white space and returns the next byte (0 at the end).
func (d *decoder) space() byte {
	for d.i < len(d.b) {
		switch c := d.b[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// consume consumes c after white space; false (nothing consumed) if
// another byte comes.
func (d *decoder) consume(c byte) bool {
	if d.space() != c || d.i >= len(d.b) {
		return false
	}
	d.i++
	return true
}

// literal consumes the literal word (true, false, null) after white space.
func (d *decoder) literal(word string) bool {
	d.space()
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return false
	}
	d.i += len(word)
	return true
}

// key reads an object key without escapes and the colon after it; the
// bytes returned are the key's, valid as long as d.b.
func (d *decoder) key() ([]byte, bool) {
	if d.space() != '"' {
		return nil, false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], d.consume(':')
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false // escapes and non-ASCII keys: the reference decodes them
		}
	}
	return nil, false
}

// atEnd reports whether only white space is left.
func (d *decoder) atEnd() bool {
	d.space()
	return d.i == len(d.b)
}

// next consumes the comma or the closing byte after a member of an object
// or array: more is true after a comma.
func (d *decoder) next(closing byte) (more, ok bool) {
	switch d.space() {
	case ',':
		d.i++
		return true, true
	case closing:
		d.i++
		return false, true
	}
	return false, false
}

// open consumes the opening byte of an object or array and reports whether
// it is empty (the closing byte is then consumed too).
func (d *decoder) open(opening, closing byte) (empty, ok bool) {
	if !d.consume(opening) {
		return false, false
	}
	d.depth++
	if d.depth > maxFastDepth {
		return false, false
	}
	if d.consume(closing) {
		d.depth--
		return true, true
	}
	return false, true
}

// plainByte marks the bytes a string holds as they stand: printable ASCII
// but the quote and the backslash. inString adds the bytes of UTF-8
// sequences (checked once the string ends).
var plainByte, inString = func() (plain, in [256]bool) {
	for c := range 256 {
		in[c] = c >= 0x20 && c != '"' && c != '\\'
		plain[c] = in[c] && c < utf8.RuneSelf
	}
	return plain, in
}()

// str reads a string literal after white space and returns its value.
func (d *decoder) str() (string, bool) {
	if d.space() != '"' {
		return "", false
	}
	b, start := d.b, d.i+1
	ascii := true
	for j := start; ; j++ {
		for j < len(b) && plainByte[b[j]] {
			j++
		}
		if j >= len(b) {
			return "", false
		}
		switch c := b[j]; {
		case c == '"':
			raw := b[start:j]
			if !ascii && !utf8.Valid(raw) {
				return d.strSlow(start-1, j+1)
			}
			d.i = j + 1
			return intern(raw), true
		case c == '\\':
			return d.strEscaped(start, j)
		case c < 0x20:
			return "", false // a control character: not JSON
		default:
			ascii = false
		}
	}
}

// strEscaped decodes the string whose contents start at start and whose
// first escape is at j. The escapes of JSON but \u of a surrogate are
// decoded by hand.
func (d *decoder) strEscaped(start, j int) (string, bool) {
	out := append(d.buf[:0], d.b[start:j]...)
	for j < len(d.b) {
		k := j
		for k < len(d.b) && inString[d.b[k]] {
			k++
		}
		out = append(out, d.b[j:k]...)
		if j = k; j >= len(d.b) {
			break
		}
		switch c := d.b[j]; {
		case c == '"':
			d.buf = out
			if !utf8.Valid(out) { // an invalid byte outside the escapes (see strSlow)
				return d.strSlow(start-1, j+1)
			}
			d.i = j + 1
			return intern(out), true
		case c < 0x20:
			return "", false
		}
		if j+1 >= len(d.b) {
			return "", false
		}
		switch e := d.b[j+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(d.b[j+2:])
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				end := stringEnd(d.b[start-1:])
				if end < 0 {
					return "", false
				}
				return d.strSlow(start-1, start-1+end)
			}
			out = utf8.AppendRune(out, r)
			j += 6
			continue
		default:
			return "", false
		}
		j += 2
	}
	return "", false
}

// strSlow decodes the string literal d.b[from:to] with encoding/json,
// which replaces invalid UTF-8 and lone surrogates by U+FFFD as it does.
func (d *decoder) strSlow(from, to int) (string, bool) {
	var s string
	if json.Unmarshal(d.b[from:to], &s) != nil {
		return "", false
	}
	d.i = to
	return s, true
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// stringEnd returns the length of the string literal b starts with (b[0]
// is '"'), or -1 if b ends first.
func stringEnd(b []byte) int {
	for j := 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// number reads a number literal (strictly as JSON writes one) after white
// space and returns its bytes.
func (d *decoder) number() ([]byte, bool) {
	d.space()
	b, start := d.b, d.i
	j := start
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	default:
		return nil, false
	}
	if j < len(b) && b[j] == '.' {
		j++
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	d.i = j
	return b[start:j], true
}

// skip reads any JSON value after white space, checking its syntax, and
// returns its bytes.
func (d *decoder) skip() ([]byte, bool) {
	c := d.space()
	start := d.i
	ok := false
	switch {
	case c == '"':
		if end := d.strExtent(); end > 0 {
			d.i, ok = end, true
		}
	case c == '{':
		ok = d.skipObject()
	case c == '[':
		ok = d.skipArray()
	case c == 't':
		ok = d.literal("true")
	case c == 'f':
		ok = d.literal("false")
	case c == 'n':
		ok = d.literal("null")
	default:
		_, ok = d.number()
	}
	if !ok {
		return nil, false
	}
	return d.b[start:d.i], true
}

// strExtent returns the end of the string literal at d.i after checking
// it (no control characters, valid escapes), or -1.
func (d *decoder) strExtent() int {
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			return j + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if j+1 >= len(d.b) {
				return -1
			}
			switch d.b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if _, ok := hex4(d.b[j+2:]); !ok {
					return -1
				}
				j += 5
			default:
				return -1
			}
		}
	}
	return -1
}

func (d *decoder) skipObject() bool {
	empty, ok := d.open('{', '}')
	if !ok || empty {
		return ok
	}
	for {
		if d.space() != '"' {
			return false
		}
		if _, ok := d.skip(); !ok || !d.consume(':') {
			return false
		}
		if _, ok := d.skip(); !ok {
			return false
		}
		more, ok := d.next('}')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

func (d *decoder) skipArray() bool {
	empty, ok := d.open('[', ']')
	if !ok || empty {
		return ok
	}
	for {
		if _, ok := d.skip(); !ok {
			return false
		}
		more, ok := d.next(']')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// planKind says how a typePlan decodes a value.
type planKind uint8

const (
	kOther       planKind = iota // json.Unmarshal of the value's bytes
	kString                      // a string kind
	kBool                        // bool
	kInt                         // a signed integer kind
	kUint                        // an unsigned integer kind
	kFloat                       // float32, float64
	kSlice                       // a slice of elem
	kStrings                     // exactly []string
	kPivots                      // exactly []Pivot
	kPointer                     // a pointer to elem
	kMap                         // a map with string keys (no text unmarshaler) to elem
	kStruct                      // a struct read field by field
	kUnmarshaler                 // a json.Unmarshaler (through its pointer)
	kInterface                   // an interface: into the pointer it holds, else as kOther
)

// typePlan is how the fast path decodes a value of type t.
type typePlan struct {
	kind   planKind
	t      reflect.Type
	elem   *typePlan
	fields map[string]fieldPlan // kStruct: by exact JSON name
}

// fieldPlan is one field of a struct: its index path (through embedded
// structs) and bit (repeated keys send the report to the reference).
type fieldPlan struct {
	index []int
	bit   uint64
	plan  *typePlan
}

var (
	plans           sync.Map // reflect.Type → *typePlan
	plansMu         sync.Mutex
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
	stringsType     = reflect.TypeFor[[]string]()
	pivotsType      = reflect.TypeFor[[]Pivot]()
)

// planOf returns the plan of t, building it (and those of the types it
// holds) on first use.
func planOf(t reflect.Type) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	building := map[reflect.Type]*typePlan{}
	p := buildPlan(t, building)
	for bt, bp := range building {
		plans.LoadOrStore(bt, bp)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*typePlan) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	if p, ok := building[t]; ok {
		return p // a recursive type: filled in below
	}
	p := &typePlan{t: t}
	building[t] = p
	switch {
	case t == stringsType:
		p.kind = kStrings
	case t == pivotsType && !reflect.PointerTo(t.Elem()).Implements(unmarshalerType):
		p.kind = kPivots
	case t == numberType:
		p.kind = kOther // a string kind that encoding/json checks is a number
	case reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType):
		// encoding/json calls the methods of named types only; a text
		// unmarshaler reads strings.
		if t.Name() != "" && reflect.PointerTo(t).Implements(unmarshalerType) {
			p.kind = kUnmarshaler
		}
	default:
		switch t.Kind() {
		case reflect.String:
			p.kind = kString
		case reflect.Bool:
			p.kind = kBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			p.kind = kInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			p.kind = kUint
		case reflect.Float32, reflect.Float64:
			p.kind = kFloat
		case reflect.Slice:
			if t.Elem().Kind() != reflect.Uint8 { // []byte is base64
				p.kind, p.elem = kSlice, buildPlan(t.Elem(), building)
			}
		case reflect.Pointer:
			p.kind, p.elem = kPointer, buildPlan(t.Elem(), building)
		case reflect.Map:
			kt := t.Key()
			if kt.Kind() == reflect.String && !reflect.PointerTo(kt).Implements(textType) {
				p.kind, p.elem = kMap, buildPlan(t.Elem(), building)
			}
		case reflect.Interface:
			p.kind = kInterface
		case reflect.Struct:
			if fields, ok := structFields(t, building); ok {
				p.kind, p.fields = kStruct, fields
			}
		}
	}
	return p
}

// structFields lists the fields encoding/json decodes into, by exact JSON
// name, with its rules: exported fields, tag names, "-" ignored, fields of
// embedded structs promoted, the shallowest field of a name winning, a
// tagged one before an untagged one at the same depth, and a name two
// fields tie for dropped. ok is false for what it does not follow (the
// type is then decoded by json.Unmarshal): ",string", tag names with
// punctuation, embedded pointers, more than 64 fields.
func structFields(t reflect.Type, building map[reflect.Type]*typePlan) (map[string]fieldPlan, bool) {
	type cand struct {
		index  []int
		tagged bool
		t      reflect.Type
	}
	byName := map[string][]cand{}
	var order []string
	seenEmbed := map[reflect.Type]bool{}
	var walk func(t reflect.Type, index []int) bool
	walk = func(t reflect.Type, index []int) bool {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := cut(tag, ',')
			if opts != "" && opts != "omitempty" && opts != "omitzero" && opts != "omitempty,omitzero" && opts != "omitzero,omitempty" {
				return false // ",string" and others
			}
			if !plainName(name) {
				return false
			}
			if sf.Anonymous {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					return false
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					if seenEmbed[ft] {
						return false
					}
					seenEmbed[ft] = true
					if !walk(ft, idx) {
						return false
					}
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			if _, ok := byName[name]; !ok {
				order = append(order, name)
			}
			byName[name] = append(byName[name], cand{idx, tagged, sf.Type})
		}
		return true
	}
	if !walk(t, nil) {
		return nil, false
	}
	out := map[string]fieldPlan{}
	for _, name := range order {
		cs := byName[name]
		best, tie := -1, false
		for i, c := range cs {
			switch {
			case best < 0 || len(c.index) < len(cs[best].index):
				best, tie = i, false
			case len(c.index) == len(cs[best].index):
				switch {
				case c.tagged == cs[best].tagged:
					tie = true
				case c.tagged:
					best, tie = i, false
				}
			}
		}
		if tie {
			continue // encoding/json drops the name
		}
		out[name] = fieldPlan{index: cs[best].index, plan: buildPlan(cs[best].t, building)}
	}
	if len(out) > 64 {
		return nil, false
	}
	i := 0
	for _, name := range order {
		if f, ok := out[name]; ok {
			f.bit = 1 << i
			out[name] = f
			i++
		}
	}
	return out, true
}

// cut is strings.Cut for the tag (kept local: one use).
func cut(s string, sep byte) (before, after string, found bool) {
	for i := range len(s) {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// plainName reports whether a tag name is letters, digits and '_' (or
// empty): names encoding/json takes as they are.
func plainName(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// value decodes the next value into v (addressable) by plan p.
func (d *decoder) value(v reflect.Value, p *typePlan) bool {
	c := d.space()
	if c == 'n' {
		return d.null(v, p)
	}
	switch p.kind {
	case kString:
		s, ok := d.str()
		if ok {
			v.SetString(s)
		}
		return ok
	case kBool:
		switch c {
		case 't':
			v.SetBool(true)
			return d.literal("true")
		case 'f':
			v.SetBool(false)
			return d.literal("false")
		}
		return false
	case kInt:
		lit, ok := d.number()
		if !ok {
			return false
		}
		n, err := strconv.ParseInt(string(lit), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	case kUint:
		lit, ok := d.number()
		if !ok {
			return false
		}
		n, err := strconv.ParseUint(string(lit), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
		return true
	case kFloat:
		lit, ok := d.number()
		if !ok {
			return false
		}
		n, err := strconv.ParseFloat(string(lit), p.t.Bits())
		if err != nil || v.OverflowFloat(n) {
			return false
		}
		v.SetFloat(n)
		return true
	case kStrings:
		return d.strings(v.Addr().Interface().(*[]string))
	case kPivots:
		return d.pivots(v.Addr().Interface().(*[]Pivot))
	case kSlice:
		return d.slice(v, p)
	case kPointer:
		if v.IsNil() {
			v.Set(reflect.New(p.elem.t))
		}
		return d.value(v.Elem(), p.elem)
	case kMap:
		return d.mapValue(v, p)
	case kStruct:
		return d.object(v, p)
	case kUnmarshaler:
		raw, ok := d.skip()
		return ok && v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw) == nil
	case kInterface:
		// As encoding/json: into the non-nil pointer the interface holds.
		if !v.IsNil() && v.Elem().Kind() == reflect.Pointer && !v.Elem().IsNil() {
			e := v.Elem()
			return d.value(e.Elem(), planOf(e.Elem().Type()))
		}
	}
	return d.other(v)
}

// other decodes the next value into v with json.Unmarshal.
func (d *decoder) other(v reflect.Value) bool {
	raw, ok := d.skip()
	return ok && json.Unmarshal(raw, v.Addr().Interface()) == nil
}

// null consumes null as encoding/json stores it into v: slices, maps,
// pointers and interfaces become nil (an interface holding a pointer to a
// non-pointer too), an unmarshaler is handed "null", others stay as they
// are.
func (d *decoder) null(v reflect.Value, p *typePlan) bool {
	if !d.literal("null") {
		return false
	}
	switch p.kind {
	case kSlice, kStrings, kPivots, kPointer, kMap, kInterface:
		if p.kind == kInterface && !v.IsNil() && v.Elem().Kind() == reflect.Pointer && !v.Elem().IsNil() && v.Elem().Elem().Kind() == reflect.Pointer {
			return false // encoding/json follows a pointer to a pointer: rare, let the reference do it
		}
		v.SetZero()
	case kUnmarshaler:
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON([]byte("null")) == nil
	case kOther:
		return json.Unmarshal([]byte("null"), v.Addr().Interface()) == nil
	}
	return true
}

// object decodes a JSON object into struct v by its plan.
func (d *decoder) object(v reflect.Value, p *typePlan) bool {
	empty, ok := d.open('{', '}')
	if !ok || empty {
		return ok
	}
	var seen uint64
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		f, found := p.fields[string(k)]
		if !found || seen&f.bit != 0 {
			return false
		}
		seen |= f.bit
		fv := v.Field(f.index[0])
		for _, i := range f.index[1:] {
			fv = fv.Field(i)
		}
		if !d.value(fv, f.plan) {
			return false
		}
		more, ok := d.next('}')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// slice decodes a JSON array into slice v (an empty array is an empty,
// non-nil slice, as encoding/json makes it).
func (d *decoder) slice(v reflect.Value, p *typePlan) bool {
	if d.space() != '[' {
		return false
	}
	empty, ok := d.open('[', ']')
	if !ok {
		return false
	}
	if empty {
		v.Set(reflect.MakeSlice(p.t, 0, 0))
		return true
	}
	n := 0
	for {
		if n >= v.Cap() {
			v.Grow(1)
		}
		v.SetLen(n + 1)
		if !d.value(v.Index(n), p.elem) {
			return false
		}
		n++
		more, ok := d.next(']')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// mapValue decodes a JSON object into map v (string keys; a repeated key's
// last value stays, as encoding/json does).
func (d *decoder) mapValue(v reflect.Value, p *typePlan) bool {
	if d.space() != '{' {
		return false
	}
	empty, ok := d.open('{', '}')
	if !ok {
		return false
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(p.t))
	}
	if empty {
		return true
	}
	kt := p.t.Key()
	for {
		k, ok := d.str()
		if !ok || !d.consume(':') {
			return false
		}
		e := reflect.New(p.elem.t).Elem()
		if !d.value(e, p.elem) {
			return false
		}
		kv := reflect.New(kt).Elem()
		kv.SetString(k)
		v.SetMapIndex(kv, e)
		more, ok := d.next('}')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// strings decodes a JSON array of strings: the SANs, names and domains
// that make most of a report.
func (d *decoder) strings(out *[]string) bool {
	if d.space() != '[' {
		return false
	}
	empty, ok := d.open('[', ']')
	if !ok {
		return false
	}
	s := d.sbuf[:0]
	if !empty {
		for {
			c := d.space()
			if c == 'n' { // null in a []string: the element stays ""
				if !d.literal("null") {
					return false
				}
				s = append(s, "")
			} else {
				v, ok := d.str()
				if !ok {
					return false
				}
				s = append(s, v)
			}
			more, ok := d.next(']')
			if !ok {
				return false
			}
			if !more {
				d.depth--
				break
			}
		}
	}
	*out = make([]string, len(s))
	copy(*out, s)
	clear(s)
	d.sbuf = s
	return true
}

// pivots decodes a JSON array of pivots, plain {kind, value, relation}
// objects.
func (d *decoder) pivots(out *[]Pivot) bool {
	if d.space() != '[' {
		return false
	}
	empty, ok := d.open('[', ']')
	if !ok {
		return false
	}
	ps := d.pbuf[:0]
	if !empty {
		for {
			var p Pivot
			if d.space() == 'n' {
				if !d.literal("null") {
					return false
				}
			} else if !d.pivot(&p) {
				return false
			}
			ps = append(ps, p)
			more, ok := d.next(']')
			if !ok {
				return false
			}
			if !more {
				d.depth--
				break
			}
		}
	}
	*out = make([]Pivot, len(ps))
	copy(*out, ps)
	clear(ps)
	d.pbuf = ps
	return true
}

// pivot decodes one pivot object.
func (d *decoder) pivot(p *Pivot) bool {
	empty, ok := d.open('{', '}')
	if !ok || empty {
		return ok
	}
	var seen uint8
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		var bit uint8
		var dst *string
		switch string(k) {
		case "kind":
			bit, dst = 1, (*string)(&p.Kind)
		case "value":
			bit, dst = 2, &p.Value
		case "relation":
			bit, dst = 4, &p.Relation
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if d.space() == 'n' {
			if !d.literal("null") {
				return false
			}
		} else if *dst, ok = d.str(); !ok {
			return false
		}
		more, ok := d.next('}')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// Plans of the parts of a report, built on first use.
var (
	targetPlan     = sync.OnceValue(func() *typePlan { return planOf(reflect.TypeFor[Target]()) })
	assessmentPlan = sync.OnceValue(func() *typePlan { return planOf(reflect.TypeFor[Assessment]()) })
	noticesPlan    = sync.OnceValue(func() *typePlan { return planOf(reflect.TypeFor[[]Notice]()) })
	timePlan       = sync.OnceValue(func() *typePlan { return planOf(reflect.TypeFor[time.Time]()) })
	resultPlan     = sync.OnceValue(func() *typePlan { return planOf(reflect.TypeFor[ModuleResult]()) })
)

// decodeReport is the fast path of Report.UnmarshalJSON: it decodes b into
// r as Report.decodeStream would, or reports false having left r as it
// was (the caller then runs Report.decodeStream).
func decodeReport(b []byte, r *Report) bool {
	d := newDecoder(b)
	defer d.free()
	var out Report
	empty, ok := d.open('{', '}')
	if !ok {
		return false
	}
	if !empty {
		var seen uint8
		for {
			k, ok := d.key()
			if !ok {
				return false
			}
			var bit uint8
			switch string(k) {
			case "target":
				bit, ok = 1, d.value(reflect.ValueOf(&out.Target).Elem(), targetPlan())
			case "assessment":
				bit, ok = 2, d.value(reflect.ValueOf(&out.Assessment).Elem(), assessmentPlan())
			case "notices":
				bit, ok = 4, d.value(reflect.ValueOf(&out.Notices).Elem(), noticesPlan())
			case "started":
				bit, ok = 8, d.value(reflect.ValueOf(&out.Started).Elem(), timePlan())
			case "duration_ms":
				bit, ok = 16, d.value(reflect.ValueOf(&out.DurationMS).Elem(), planOf(reflect.TypeFor[int64]()))
			case "modules":
				bit, ok = 32, d.modules(&out)
			default:
				_, ok = d.skip() // the reference skips unknown keys too
			}
			if !ok || seen&bit != 0 {
				return false
			}
			seen |= bit
			more, ok := d.next('}')
			if !ok {
				return false
			}
			if !more {
				break
			}
		}
	}
	if !d.atEnd() {
		return false // something after the report: the reference says what
	}
	*r = out
	return true
}

// modules decodes the modules object, each module's facts into the type
// its id has (factsTypes), as decodeModules does.
func (d *decoder) modules(r *Report) bool {
	if d.space() != '{' {
		return false // null included: rare, the reference does it
	}
	empty, ok := d.open('{', '}')
	if !ok {
		return false
	}
	r.Modules = map[string]*ModuleResult{}
	if empty {
		return true
	}
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		id := moduleID(k)
		if _, dup := r.Modules[id]; dup {
			return false
		}
		m := &ModuleResult{}
		if mk, ok := factsTypes[id]; ok {
			m.Facts = mk()
		}
		if d.space() != '{' || !d.value(reflect.ValueOf(m).Elem(), resultPlan()) {
			return false
		}
		m.Module = id
		downgradeWhois(m)
		r.Modules[id] = m
		more, ok := d.next('}')
		if !ok {
			return false
		}
		if !more {
			d.depth--
			return true
		}
	}
}

// moduleID returns the id k names: the declared one's string for a known
// module.
func moduleID(k []byte) string {
	for _, id := range ModuleIDs {
		if string(k) == id {
			return id
		}
	}
	return intern(k)
}

// decodeValue decodes b into *v, which must be the zero value, as
// json.Unmarshal does: the fast way when it can, else with json.Unmarshal.
func decodeValue[T any](b []byte, v *T) error {
	if decodeFast(b, v) {
		return nil
	}
	var zero T
	*v = zero
	return json.Unmarshal(b, v)
}

// decodeFast decodes b into *v, the zero value, as json.Unmarshal would,
// or reports false (*v is then to be reset).
func decodeFast[T any](b []byte, v *T) bool {
	d := newDecoder(b)
	defer d.free()
	return d.value(reflect.ValueOf(v).Elem(), planOf(reflect.TypeFor[T]())) && d.atEnd()
}
