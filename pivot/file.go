package pivot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// The session file (a contract, see DESIGN.md "Session file").
//
// Version 3 (current) is one JSON object:
//
//	{
//	  "version": 3,
//	  "created": RFC 3339, "updated": RFC 3339,
//	  "window_days": 7,            // Session.Window in days
//	  "nodes": [                   // in creation order; a parent precedes its children
//	    {"id": "n1", "kind": "domain", "value": "nova-parcels.com",
//	     "parent": null | "n1", "relation": "SAN",
//	     // entity fields, on the FIRST node of each entity only:
//	     "state": "done"|"failed"|"" , "error": "...", "scanned_at": RFC 3339,
//	     "notes": [{"text": "...", "at": RFC 3339}], "tags": [...],
//	     "false_positives": {"rule": "why"},
//	     "scan": {recon.Report},
//	     "history": [{"at": RFC 3339, "scan": {recon.Report}}],  // earlier reports, oldest first
//	     "first_seen": RFC 3339}   // when the value entered the case; never moves
//	  ],
//	  "clusters": [{"id", "members", "shared", "score",     // Session.Clusters(), for readers
//	                "evidence": [{"key", "weight", "why"}]}]
//	}
//
// An entity (one real-world value) can appear at several places in the tree.
// Its data — the scan with its raw evidence, state, tags — is written once,
// on the first node that shows it; every later node with the same kind and
// value (KeyOf: case-insensitive, subdomain = domain) refers to it. "notes"
// is on every node (the contract; [] when there are none), repeated on each
// node of the entity so a reader of one node sees the analyst's notes. Queued
// and running states are written as not scanned ("" or, when an earlier
// scan is kept, "done"). "clusters" is written for readers of the file and
// recomputed on load.
//
// Version 2 had no "history" (a rescan replaced the report); it loads with
// an empty history. "history" holds at most MaxHistory earlier reports of
// the entity, without their raw evidence (see history.go).
//
// "first_seen" (optional, added within version 3) is Entity.FirstSeen. A
// file without it loads with the best time it holds (fillFirstSeen).
//
// Version 1 (before state tracking) had the same layout except that "notes"
// was a list of plain strings, there was no "state", "scanned_at",
// "window_days", and a scan could be repeated on every node of the entity.
// Load migrates it: notes get the file's "updated" time, an entity with a
// scan is "done" at the end of that scan, the window is the default.

// A session file is as untrusted as the network (analysts open each
// other's cases). Unmarshal checks every enum-like field — node kind and
// state, and in every scan the target kind, module ids, statuses, touches,
// signal and assessment levels, signal modules and pivot kinds
// (recon.Report.Validate) — and refuses a file holding a value outside its
// enum with ErrCorrupt, naming the field and quoting the value escaped
// (recon.Quote). Free text (values, relations, notes, signal texts, errors)
// is loaded unchanged; every reader sanitises it where it is displayed.

// Version is the session file version this package writes.
const Version = 3

// Sentinel errors of Load and Unmarshal, wrapped with details; test with errors.Is.
var (
	// ErrNotSession: the data is not a netspecter-tui session file.
	ErrNotSession = errors.New("not a netspecter-tui session file")
	// ErrNewerVersion: the file was written by a newer netspecter-tui.
	ErrNewerVersion = errors.New("session file from a newer version")
	// ErrCorrupt: the file is a damaged session (truncated or inconsistent).
	ErrCorrupt = errors.New("session file is damaged")
	// ErrOpening: the session's reports are still being read from its
	// file (see Open); it cannot be written until Opening.Finish.
	ErrOpening = errors.New("pivot: the session is still being read from its file; nothing was written (try again in a moment)")
)

type fileSession struct {
	Version    int        `json:"version"`
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	WindowDays float64    `json:"window_days"`
	Nodes      []fileNode `json:"nodes"`
	Clusters   []Cluster  `json:"clusters"`
}

type fileNode struct {
	ID             string            `json:"id"`
	Kind           recon.PivotKind   `json:"kind"`
	Value          string            `json:"value"`
	Parent         *string           `json:"parent"`
	Relation       string            `json:"relation"`
	State          State             `json:"state,omitempty"`
	Err            string            `json:"error,omitempty"`
	ScannedAt      time.Time         `json:"scanned_at,omitzero"`
	Notes          []Note            `json:"notes"` // always present (the contract); the entity's notes on each of its nodes
	Tags           []string          `json:"tags,omitempty"`
	FalsePositives map[string]string `json:"false_positives,omitempty"`
	Scan           *recon.Report     `json:"scan,omitempty"`
	History        []Past            `json:"history,omitempty"`
	FirstSeen      time.Time         `json:"first_seen,omitzero"`
}

// Marshal encodes a session as an indented, deterministic file of the
// current Version. It may fill the session's cluster cache: a reader on
// another goroutine than the session's owner marshals a Snapshot.
func Marshal(s *Session) ([]byte, error) {
	return marshalIn(s, runtime.GOMAXPROCS(0))
}

// fileOf is the session as its file holds it.
func fileOf(s *Session) (fileSession, error) {
	if s.opening {
		return fileSession{}, ErrOpening
	}
	f := fileSession{
		Version:    Version,
		Created:    s.Created,
		Updated:    s.Updated,
		WindowDays: s.window().Hours() / 24,
		Nodes:      make([]fileNode, 0, len(s.order)),
		Clusters:   s.Clusters(),
	}
	if f.Clusters == nil {
		f.Clusters = []Cluster{}
	}
	written := make(map[EntityKey]bool, len(s.entities))
	for _, id := range s.order {
		n := s.nodes[id]
		fn := fileNode{ID: n.ID, Kind: n.Kind, Value: n.Value, Relation: n.Relation, Notes: n.Entity.Notes}
		if fn.Notes == nil {
			fn.Notes = []Note{}
		}
		if n.Parent != "" {
			p := n.Parent
			fn.Parent = &p
		}
		if e := n.Entity; !written[e.Key] {
			written[e.Key] = true
			fn.State, fn.Err = savedState(e)
			fn.ScannedAt = e.ScannedAt
			fn.Tags = e.Tags
			fn.FalsePositives = e.FalsePositives
			fn.Scan = e.Scan
			fn.History = e.History
			fn.FirstSeen = e.FirstSeen
		}
		f.Nodes = append(f.Nodes, fn)
	}
	return f, nil
}

// marshalIn is Marshal encoding the nodes in up to cores chunks at once:
// the file json.Marshal writes for fileOf(s), indented by appendIndented,
// and a newline (TestMarshalChunksAreOneFile).
func marshalIn(s *Session, cores int) ([]byte, error) {
	f, err := fileOf(s)
	if err != nil {
		return nil, err
	}
	nodes := f.Nodes
	f.Nodes = []fileNode{}
	compact, err := json.Marshal(f) // the rest of the file, "nodes": []
	if err != nil {
		return nil, fmt.Errorf("pivot: encoding the session: %w", err)
	}
	rest := appendIndented(make([]byte, 0, len(compact)+len(compact)/2), compact, "  ")
	if len(nodes) == 0 {
		return append(rest, '\n'), nil
	}
	n := max(1, min(cores, len(nodes)/2000))
	pieces, err := indentNodes(nodes, n)
	if err != nil {
		return nil, fmt.Errorf("pivot: encoding the session: %w", err)
	}
	// Only version, the two dates and window_days come before "nodes".
	at := bytes.Index(rest, []byte(`"nodes": []`)) + len(`"nodes": [`)
	size := len(rest) + 8
	for _, p := range pieces {
		size += len(p)
	}
	out := append(make([]byte, 0, size), rest[:at]...)
	out = append(out, "\n    "...)
	for _, p := range pieces {
		out = append(out, p...)
	}
	out = append(out, "\n  "...)
	out = append(out, rest[at:]...)
	return append(out, '\n'), nil
}

// indentNodes encodes the nodes as json.Marshal encodes them inside the
// file, indented at their depth as appendIndented indents the whole file,
// in n chunks at once (the final save of a 300-scan fan-out encoded its
// 42.8 MB on one core for 0.5–0.6 s, the run's last step, with the other
// core idle). The pieces, in order,
// are the body of the "nodes" array after its first "\n    ". A plain
// node (appendPlainNode: 92,082 of bench300's 92,701) is written directly.
func indentNodes(nodes []fileNode, n int) ([][]byte, error) {
	pieces := make([][][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		part := nodes[i*len(nodes)/n : (i+1)*len(nodes)/n]
		wg.Go(func() {
			// Plain nodes go into one buffer; a node with a report (tens of
			// kilobytes) gets a piece of its own, so no buffer is copied as
			// it grows.
			var out [][]byte
			cur := make([]byte, 0, 256*len(part))
			if i > 0 {
				cur = append(cur, ",\n    "...) // after the previous chunk
			}
			for j := range part {
				if j > 0 {
					cur = append(cur, ",\n    "...)
				}
				if d, ok := appendPlainNode(cur, &part[j]); ok {
					cur = d
					continue
				}
				b, err := json.Marshal(&part[j])
				if err != nil {
					errs[i] = err
					return
				}
				out = append(out, cur, appendIndentedAt(make([]byte, 0, len(b)+len(b)/2), b, "  ", 2))
				cur = make([]byte, 0, 64<<10)
			}
			pieces[i] = append(out, cur)
		})
	}
	wg.Wait()
	return slices.Concat(pieces...), errors.Join(errs...)
}

// appendPlainNode appends n indented at depth 2 as json.Marshal and
// appendIndented write it, if n is plain: only the fields every node has,
// notes empty (not nil: that is null), and strings that encoding/json
// writes as they are (printable ASCII without ", \, <, >, &). ok is false,
// dst unchanged, otherwise.
func appendPlainNode(dst []byte, n *fileNode) (_ []byte, ok bool) {
	if n.State != "" || n.Err != "" || !n.ScannedAt.IsZero() || n.Notes == nil || len(n.Notes) > 0 || len(n.Tags) > 0 ||
		len(n.FalsePositives) > 0 || n.Scan != nil || len(n.History) > 0 || !n.FirstSeen.IsZero() ||
		!writesAsIs(n.ID) || !writesAsIs(string(n.Kind)) || !writesAsIs(n.Value) || !writesAsIs(n.Relation) ||
		n.Parent != nil && !writesAsIs(*n.Parent) {
		return dst, false
	}
	const in = "\n      "
	dst = append(dst, "{"+in+`"id": "`...)
	dst = append(dst, n.ID...)
	dst = append(dst, `",`+in+`"kind": "`...)
	dst = append(dst, n.Kind...)
	dst = append(dst, `",`+in+`"value": "`...)
	dst = append(dst, n.Value...)
	if n.Parent == nil {
		dst = append(dst, `",`+in+`"parent": null,`+in+`"relation": "`...)
	} else {
		dst = append(dst, `",`+in+`"parent": "`...)
		dst = append(dst, *n.Parent...)
		dst = append(dst, `",`+in+`"relation": "`...)
	}
	dst = append(dst, n.Relation...)
	dst = append(dst, `",`+in+`"notes": []`+"\n    }"...)
	return dst, true
}

// writesAsIs reports whether encoding/json writes s between quotes
// unchanged.
func writesAsIs(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// appendIndented appends compact JSON (as json.Marshal writes it: no white
// space outside strings) to dst, indented as json.Indent(dst, src, "",
// indent) indents it (TestAppendIndentedIsIndent): json.Encoder's indent
// pass runs every byte through its state machine, 0.28 s of the 0.44 s
// Marshal took for the 92k-node bench300 session; this loop only looks
// for quotes and punctuation. Input that is not compact is indented by
// json.Indent.
func appendIndented(dst, src []byte, indent string) []byte {
	return appendIndentedAt(dst, src, indent, 0)
}

// appendIndentedAt is appendIndented for a value nested depth levels
// deep: what json.Indent writes with depth indents as its prefix.
func appendIndentedAt(dst, src []byte, indent string, depth int) []byte {
	orig, base := len(dst), depth
	newline := func(depth int) {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, indent...)
		}
	}
	needIndent := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			n := stringEnd(src[i:])
			if n < 0 {
				return indentSlow(dst[:orig], src, indent, base)
			}
			dst = append(dst, src[i:i+n]...)
			i += n - 1
		case '{', '[':
			needIndent = true // an empty object or array stays {} or []
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		case ' ', '\t', '\n', '\r':
			return indentSlow(dst[:orig], src, indent, base)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func indentSlow(dst, src []byte, indent string, depth int) []byte {
	var b bytes.Buffer
	if json.Indent(&b, src, strings.Repeat(indent, depth), indent) != nil {
		return append(dst, src...)
	}
	return append(dst, b.Bytes()...)
}

// savedState maps in-flight states to what a reopened session should show.
func savedState(e *Entity) (State, string) {
	switch e.State {
	case StateQueued, StateRunning:
		if e.Scan != nil {
			return StateDone, ""
		}
		return StateNone, ""
	}
	return e.State, e.Err
}

// Save writes the session to path atomically: a temporary file in the same
// directory, fsync, rename over path, fsync of the directory. On any error
// the previous file is left as it was and no temporary file remains.
func Save(s *Session, path string) error {
	b, err := Marshal(s)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("pivot: saving the session: %w (check that %s exists and is writable)", err, dir)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if st, err := os.Stat(path); err == nil {
		_ = tmp.Chmod(st.Mode().Perm()) // keep the mode of the file being replaced
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("pivot: saving the session: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("pivot: saving the session: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("pivot: saving the session: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("pivot: saving the session: %w", err)
	}
	done = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	return nil
}
