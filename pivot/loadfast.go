package pivot

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/netspecter/netspecter-tui/recon"
)

// The fast path of Load. encoding/json's streaming decoder reads every byte
// of a session file two or three times through its state machine, on one
// goroutine: 0.7 s of the 1.1 s it took to open the 92,401-node bench300
// session. Here the node records of the common shape — string fields, a
// null or string parent, notes, a scan kept raw — are read by hand
// (parseNode) straight from the stream's buffer, values cut by a plain
// bracket and quote counter (rawReader, valueEnd); a report is decoded by
// recon's one-pass decoder, white space and all. Anything else goes
// through encoding/json: a record of another shape is re-read whole and
// decoded by json.Unmarshal, which is what Unmarshal does with it; a file
// that does not read cleanly makes loadStream fail, and Load
// then reads it whole with Unmarshal, which gives the same session or the
// precise error. So the fast path only accepts what Unmarshal accepts, and
// builds the same session from it:
//
//   - every byte it does not check itself is checked by encoding/json: the
//     scans by recon.Report.UnmarshalJSON (which rejects any syntax error:
//     what its fast path does not read goes to encoding/json), notes, tags, false positives and history by
//     json.Unmarshal, times by time.Time.UnmarshalJSON (as encoding/json
//     calls it), the top-level values other than nodes by json.Valid;
//   - a string is taken as is only if it is printable ASCII without
//     escapes, else json.Unmarshal decodes it;
//   - a key is matched exactly; a record with any other key (encoding/json
//     matches keys case-insensitively and ignores unknown ones), a repeated
//     key or a value of an unexpected type is decoded by json.Unmarshal.

// rawReader cuts a JSON stream into values without decoding them.
type rawReader struct {
	r   io.Reader
	buf []byte // buf[pos:] is unread
	pos int
	// mark, when >= 0, keeps buf[mark:] through refills (moved to the
	// front of buf: slices of it taken before a refill may go stale).
	mark  int
	chunk int // the least a refill asks for (tests make it small)
	eof   bool
	err   error // a read error other than io.EOF
}

func newRawReader(r io.Reader, chunk int) *rawReader {
	return &rawReader{r: r, buf: make([]byte, 0, chunk), mark: -1, chunk: chunk}
}

// more reads more of the stream, keeping buf[pos:]; it reads at least as
// much as is already held, so a value of n bytes costs O(n) rescans.
func (r *rawReader) more() bool {
	if r.eof || r.err != nil {
		return false
	}
	keep := r.pos
	if r.mark >= 0 {
		keep = r.mark
	}
	if keep > 0 {
		n := copy(r.buf, r.buf[keep:])
		r.buf, r.pos = r.buf[:n], r.pos-keep
		if r.mark >= 0 {
			r.mark = 0
		}
	}
	want := max(r.chunk, len(r.buf))
	if cap(r.buf)-len(r.buf) < want {
		nb := make([]byte, len(r.buf), len(r.buf)+want)
		copy(nb, r.buf)
		r.buf = nb
	}
	// At least half of want, so that a value is rescanned O(1) times
	// per doubling, however short the reads.
	n, err := io.ReadAtLeast(r.r, r.buf[len(r.buf):cap(r.buf)], max(1, want/2))
	r.buf = r.buf[:len(r.buf)+n]
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		r.eof = true
	case err != nil:
		r.err = err
	}
	return n > 0
}

// space skips JSON white space; it reports whether a byte follows.
func (r *rawReader) space() bool {
	for {
		for r.pos < len(r.buf) {
			switch r.buf[r.pos] {
			case ' ', '\t', '\n', '\r':
				r.pos++
			default:
				return true
			}
		}
		if !r.more() {
			return false
		}
	}
}

// consume consumes c after white space; false if another byte comes.
func (r *rawReader) consume(c byte) bool {
	if !r.space() || r.buf[r.pos] != c {
		return false
	}
	r.pos++
	return true
}

// peek returns the next byte after white space (0 at the end).
func (r *rawReader) peek() byte {
	if !r.space() {
		return 0
	}
	return r.buf[r.pos]
}

// value returns the next value, unchecked but for its extent (see
// valueEnd), as a slice of buf that is valid until the next call.
func (r *rawReader) value() ([]byte, bool) {
	if !r.space() {
		return nil, false
	}
	for {
		n := valueEnd(r.buf[r.pos:])
		if n == -1 && r.more() {
			continue
		}
		if n == -1 && r.eof && len(r.buf) > r.pos && isScalarStart(r.buf[r.pos]) {
			n = len(r.buf) - r.pos // a number or literal that ends the stream
		}
		if n <= 0 {
			return nil, false
		}
		v := r.buf[r.pos : r.pos+n]
		r.pos += n
		return v, true
	}
}

func isScalarStart(c byte) bool {
	return c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n'
}

// valueEnd returns the length of the JSON value b starts with, found by
// counting quotes (and the backslashes before them) and brackets only: -1
// if b ends before it does, 0 if b does not start a value or a bracket
// closes more than was opened. It does not check the value: a caller
// hands what it does not check itself to encoding/json.
func valueEnd(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	depth := 0
	for i := 0; i < len(b); {
		switch c := b[i]; c {
		case '"':
			end := stringEnd(b[i:])
			if end < 0 {
				return -1
			}
			i += end
			if depth == 0 {
				return i
			}
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
			if depth < 0 {
				return 0
			}
			if depth == 0 {
				return i
			}
		default:
			if depth > 0 {
				// Inside a container only strings and brackets matter:
				// skip to the next one (half of an indented report is
				// white space).
				i++
				for i < len(b) && !structByte[b[i]] {
					i++
				}
				continue
			}
			if !isScalarStart(c) {
				return 0
			}
			for i < len(b) {
				switch b[i] {
				case ',', '}', ']', ' ', '\t', '\n', '\r':
					return i
				}
				i++
			}
			return -1
		}
	}
	return -1
}

// structByte marks the bytes valueEnd stops at inside a container.
var structByte = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// stringEnd returns the length of the string literal b starts with (b[0]
// is '"'), or -1 if b ends first.
func stringEnd(b []byte) int {
	for j := 1; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		n := 0
		for p := q - 1; p > 0 && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// loadStream decodes a session file from r, node by node. Any surprise
// returns an error (errStream or a node's error) and Load falls back to
// Unmarshal.
func loadStream(r io.Reader) (s *Session, err error) { return loadStreamChunks(r, 1<<20) }

// loadStreamChunks is loadStream refilling its buffer chunk bytes at least
// at a time.
func loadStreamChunks(r io.Reader, chunk int) (*Session, error) {
	l, err := streamTree(r, chunk, false)
	if err != nil {
		return nil, err
	}
	return l.finish()
}

// streamTree reads the file's tree from r and returns its loader with the
// reports still decoding (finish completes the session).
func streamTree(r io.Reader, chunk int, treeFirst bool) (_ *loader, err error) {
	var l *loader
	defer func() {
		if err != nil && l != nil {
			l.abort() // no worker outlives a failed load
		}
	}()
	rr := newRawReader(r, chunk)
	if !rr.consume('{') {
		return nil, errStream
	}
	var (
		version          json.RawMessage
		created, updated time.Time
		haveC, haveU     bool
		windowDays       float64
	)
	for {
		key, ok := rr.value()
		if !ok || !plainString(key) {
			return nil, errStream
		}
		name := string(key[1 : len(key)-1]) // before a refill may move the buffer
		if !rr.consume(':') {
			return nil, errStream
		}
		if !topKeys[name] && foldsToTopKey(name) {
			return nil, errStream // encoding/json would take it (case-insensitive match)
		}
		if l != nil && topKeys[name] {
			return nil, errStream // after the nodes: Unmarshal applies it
		}
		switch name {
		case "nodes":
			if version == nil || !haveC || !haveU || l != nil {
				return nil, errStream
			}
			v, verr := parseVersion(version)
			if verr != nil {
				return nil, verr
			}
			l = newLoader(v, created, updated, windowDays)
			l.treeFirst = treeFirst
			if err := l.readNodes(rr); err != nil {
				return nil, err
			}
		default:
			raw, ok := rr.value()
			if !ok || !json.Valid(raw) {
				return nil, errStream
			}
			switch name {
			case "version":
				version = bytes.Clone(raw)
			case "created":
				err, haveC = created.UnmarshalJSON(raw), true
			case "updated":
				err, haveU = updated.UnmarshalJSON(raw), true
			case "window_days":
				err = json.Unmarshal(raw, &windowDays)
			}
			if err != nil {
				return nil, errStream
			}
		}
		if rr.consume(',') {
			continue
		}
		if rr.consume('}') {
			break
		}
		return nil, errStream
	}
	if rr.space() || rr.err != nil || l == nil {
		return nil, errStream // something after the object, or no nodes
	}
	l.close()
	return l, nil
}

// topKeys are the top-level keys Unmarshal reads.
var topKeys = map[string]bool{"version": true, "created": true, "updated": true, "window_days": true, "nodes": true}

func foldsToTopKey(k string) bool {
	for t := range topKeys {
		if strings.EqualFold(k, t) {
			return true
		}
	}
	return false
}

// readNodes reads the nodes array and adds each node.
func (l *loader) readNodes(rr *rawReader) error {
	if !rr.consume('[') {
		return errStream
	}
	if rr.peek() == ']' {
		rr.pos++
		return nil
	}
	// One record at a time, in one place: add copies what it keeps (a
	// fresh record per node cost a 92k-node file 27 MB of garbage).
	fn := new(fileNodeIn)
	for i := 0; ; i++ {
		// The record is read straight from the stream; one of another
		// shape is read again, whole, by encoding/json.
		if !rr.space() {
			return errStream
		}
		rr.mark = rr.pos
		*fn = fileNodeIn{}
		ok := parseNode(rr, fn)
		if !ok {
			rr.pos = rr.mark
			rec, whole := rr.value()
			if !whole {
				return errStream
			}
			*fn = fileNodeIn{}
			if err := json.Unmarshal(rec, fn); err != nil {
				return errStream
			}
		}
		rr.mark = -1
		if err := l.add(i, *fn); err != nil {
			return err
		}
		if rr.consume(',') {
			continue
		}
		if rr.consume(']') {
			return nil
		}
		return errStream
	}
}

// plainString reports whether v is a string literal of printable ASCII
// without escapes: its bytes between the quotes are its value.
func plainString(v []byte) bool {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	for _, c := range v[1 : len(v)-1] {
		if c < 0x20 || c >= utf8.RuneSelf || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// str decodes a string literal as encoding/json does.
func str(v []byte) (string, bool) {
	if plainString(v) {
		return string(v[1 : len(v)-1]), true
	}
	if len(v) == 0 || v[0] != '"' {
		return "", false
	}
	var s string
	return s, json.Unmarshal(v, &s) == nil
}

// interned decodes a string literal, returning the string of names it
// equals rather than a copy (92,000 nodes share a dozen kinds).
func interned(v []byte, names []string) (string, bool) {
	if plainString(v) {
		for _, n := range names {
			if string(v[1:len(v)-1]) == n {
				return n, true
			}
		}
	}
	return str(v)
}

var (
	kindNames = func() []string {
		out := make([]string, len(recon.PivotKinds))
		for i, k := range recon.PivotKinds {
			out[i] = string(k)
		}
		return out
	}()
	stateNames = []string{string(StateNone), string(StateQueued), string(StateRunning), string(StateDone), string(StateFailed)}
)

var noNotes = json.RawMessage("[]")

// Fields of a node record, as bits (a repeated key sends the record to
// json.Unmarshal).
const (
	fID = 1 << iota
	fKind
	fValue
	fParent
	fRelation
	fState
	fError
	fScannedAt
	fNotes
	fTags
	fFalsePositives
	fScan
	fHistory
	fFirstSeen
)

// nodeField returns the bit of an exact key of a node record, 0 for
// another key (a switch: a map lookup per key was 10 % of reading a tree).
func nodeField(k []byte) int {
	switch string(k) {
	case "id":
		return fID
	case "kind":
		return fKind
	case "value":
		return fValue
	case "parent":
		return fParent
	case "relation":
		return fRelation
	case "state":
		return fState
	case "error":
		return fError
	case "scanned_at":
		return fScannedAt
	case "notes":
		return fNotes
	case "tags":
		return fTags
	case "false_positives":
		return fFalsePositives
	case "scan":
		return fScan
	case "history":
		return fHistory
	case "first_seen":
		return fFirstSeen
	}
	return 0
}

// parseNode reads a node record from p into fn, as json.Unmarshal would;
// false if the record is not of the shape it reads (fn is then to be
// decoded by json.Unmarshal, which checks it).
func parseNode(p *rawReader, fn *fileNodeIn) bool {
	if !p.consume('{') {
		return false
	}
	if p.peek() == '}' {
		return false // {}: let encoding/json say what it is
	}
	seen := 0
	for {
		key, ok := p.value()
		if !ok || !plainString(key) {
			return false
		}
		f := nodeField(key[1 : len(key)-1]) // before a refill may move the buffer
		if !p.consume(':') {
			return false
		}
		if f == 0 || seen&f != 0 {
			return false
		}
		seen |= f
		v, ok := p.value()
		if !ok {
			return false
		}
		if !fn.field(f, v) {
			return false
		}
		if p.consume(',') {
			continue
		}
		return p.consume('}')
	}
}

// field sets field f of a node record from its raw value v.
func (fn *fileNodeIn) field(f int, v []byte) bool {
	var ok bool
	switch f {
	case fID:
		fn.ID, ok = str(v)
	case fValue:
		fn.Value, ok = str(v)
	case fRelation:
		fn.Relation, ok = str(v)
	case fError:
		fn.Err, ok = str(v)
	case fKind:
		var k string
		k, ok = interned(v, kindNames)
		fn.Kind = recon.PivotKind(k)
	case fState:
		var st string
		st, ok = interned(v, stateNames)
		fn.State = State(st)
	case fParent:
		if string(v) == "null" {
			fn.Parent, ok = nil, true
			break
		}
		var p string
		p, ok = str(v)
		fn.Parent = &p
	case fNotes:
		// decodeNotes checks them with json.Unmarshal. v is a slice of
		// the stream's buffer, which a refill may move: kept as a copy.
		switch {
		case string(v) == "[]":
			fn.Notes, ok = noNotes, true
		case v[0] == '[' || string(v) == "null":
			fn.Notes, ok = bytes.Clone(v), true
		}
	case fScan:
		// recon.Report.UnmarshalJSON checks it on a worker.
		ok = v[0] == '{' || string(v) == "null"
		if ok && v[0] == '{' {
			fn.Scan = bytes.Clone(v)
		}
	case fScannedAt:
		ok = fn.ScannedAt.UnmarshalJSON(v) == nil
	case fFirstSeen:
		ok = fn.FirstSeen.UnmarshalJSON(v) == nil
	case fTags:
		ok = json.Unmarshal(v, &fn.Tags) == nil
	case fFalsePositives:
		ok = json.Unmarshal(v, &fn.FalsePositives) == nil
	case fHistory:
		ok = json.Unmarshal(v, &fn.History) == nil
	}
	return ok
}
