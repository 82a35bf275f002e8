package pivot

// Reading a session file: Load streams it node by node, Unmarshal reads it
// whole; both check it as strictly (see "A session file is as untrusted"
// in file.go).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// fileNodeIn reads a node of any version: notes are decoded by version,
// the scan after the tree is built.
type fileNodeIn struct {
	fileNode
	Notes   json.RawMessage `json:"notes"`
	Scan    json.RawMessage `json:"scan"`
	History []pastIn        `json:"history"`
}

// pastIn is a history entry whose report is decoded after the tree is built.
type pastIn struct {
	At   time.Time       `json:"at"`
	Scan json.RawMessage `json:"scan"`
}

// Unmarshal decodes a session file of this or an older version.
func Unmarshal(b []byte) (*Session, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the file is empty (a write was interrupted?); restore it from a backup or start a new session", ErrCorrupt)
	}
	if trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: it is not a JSON object; open a file written by netspecter-tui (investigate -o, or the workbench's --session)", ErrNotSession)
	}
	// One pass decodes everything but the reports, which are kept raw and
	// decoded afterwards, in parallel (they are most of the file).
	var f struct {
		Version    json.RawMessage `json:"version"`
		Created    time.Time       `json:"created"`
		Updated    time.Time       `json:"updated"`
		WindowDays float64         `json:"window_days"`
		Nodes      []fileNodeIn    `json:"nodes"`
	}
	if err := json.Unmarshal(trimmed, &f); err != nil {
		return nil, classify(trimmed, err)
	}
	if f.Version == nil || f.Nodes == nil {
		return nil, fmt.Errorf("%w: it has no \"version\" and \"nodes\" (a scan --json report is not a session; run investigate -o to make one)", ErrNotSession)
	}
	v, err := parseVersion(f.Version)
	if err != nil {
		return nil, err
	}
	l := newLoader(v, f.Created, f.Updated, f.WindowDays)
	for i, fn := range f.Nodes {
		if err := l.add(i, fn); err != nil {
			l.stop()
			return nil, err
		}
	}
	return l.finish()
}

// loader builds a session from the nodes of a file, one at a time, in
// file order (Unmarshal hands it a decoded slice, Load a stream).
type loader struct {
	s       *Session
	v       int
	updated time.Time
	scans   []*pending
	filled  map[EntityKey]bool

	// Reports decode on worker goroutines while the tree is still being
	// read (on two cores the stream and the reports overlap); errs holds
	// their errors by position in scans. A worker writes only its
	// pending's rep: finish puts the reports in place, on the goroutine
	// that owns the session, once done is closed.
	work    chan job
	wg      sync.WaitGroup
	mu      sync.Mutex
	errs    map[int]error
	decoded atomic.Int64
	closed  sync.Once
	done    chan struct{}
	// treeFirst: the reports wait until the tree is read, then decode on
	// every core (Open: the first frame needs the tree only, and on two
	// cores a decoder beside the reader slowed it by a third); otherwise
	// they decode as they come (Load).
	treeFirst bool
}

// job is one report for a worker: its position in loader.scans and where it goes.
type job struct {
	i int
	p *pending
}

// pending is a report kept raw while the tree is built, decoded after.
type pending struct {
	e    *Entity
	raw  json.RawMessage
	past int // -1: the current scan, else the index in e.History
	rep  *recon.Report
}

func newLoader(v int, created, updated time.Time, windowDays float64) *loader {
	s := NewSession(created)
	s.Updated = updated
	s.byEntity = map[EntityKey][]string{} // see indexNode
	if v >= 2 && windowDays > 0 && windowDays < 1e5 {
		s.Window = time.Duration(windowDays * float64(24*time.Hour))
	}
	s.opening = true // until finish
	return &loader{s: s, v: v, updated: updated, filled: map[EntityKey]bool{}, errs: map[int]error{}, done: make(chan struct{})}
}

// worker decodes the reports it is given until the work is closed.
func (l *loader) worker() {
	for j := range l.work {
		rep := new(recon.Report)
		// UnmarshalJSON is called directly: it checks the syntax as it
		// reads (json.Unmarshal would scan the bytes once more first), in
		// one pass that skips white space itself.
		err := rep.UnmarshalJSON(j.p.raw)
		if err == nil {
			err = rep.Validate()
		}
		if err != nil {
			l.mu.Lock()
			l.errs[j.i] = err
			l.mu.Unlock()
		} else {
			j.p.rep = rep
		}
		j.p.raw = nil
		l.decoded.Add(1)
	}
}

// decode hands pending reports to the workers, started on first use: one
// fewer than there are processors, so that the goroutine reading the tree
// keeps a core (close adds the last one). The entity's fields are complete
// when it is called.
func (l *loader) decode(ps ...*pending) {
	if len(ps) == 0 {
		return
	}
	if l.treeFirst {
		l.scans = append(l.scans, ps...) // close hands them out
		return
	}
	if l.work == nil {
		l.work = make(chan job, 64)
		for range max(1, min(runtime.GOMAXPROCS(0), 8)-1) {
			l.wg.Go(l.worker)
		}
	}
	for _, p := range ps {
		l.scans = append(l.scans, p)
		l.work <- job{len(l.scans) - 1, p}
	}
}

// close tells the workers that no more reports come (the tree is read);
// done is closed once they have decoded what they were given.
func (l *loader) close() {
	l.closed.Do(func() {
		if l.treeFirst && len(l.scans) > 0 {
			l.work = make(chan job, len(l.scans))
			for i, p := range l.scans {
				l.work <- job{i, p}
			}
			for range max(1, min(runtime.GOMAXPROCS(0), 8)-1) {
				l.wg.Go(l.worker) // with one more below on two cores or more
			}
		}
		if l.work == nil {
			close(l.done)
			return
		}
		close(l.work)
		if runtime.GOMAXPROCS(0) > 1 {
			l.wg.Go(l.worker) // the reader's core is free now
		}
		go func() {
			l.wg.Wait()
			close(l.done)
		}()
	})
}

// stop ends the workers once they have decoded what they were given.
func (l *loader) stop() {
	l.close()
	<-l.done
}

// abort ends a load that failed: reports not handed out yet are dropped.
func (l *loader) abort() {
	if l.treeFirst {
		l.closed.Do(func() { close(l.done) })
	}
	l.stop()
}

// add checks and adds the i-th node (0-based) of the file.
func (l *loader) add(i int, fn fileNodeIn) error {
	s, v := l.s, l.v
	if fn.ID == "" || fn.Kind == "" || fn.Value == "" {
		return fmt.Errorf("%w: node %d has no id, kind or value", ErrCorrupt, i+1)
	}
	if !fn.Kind.Valid() {
		return fmt.Errorf("%w: node %s has kind %s, which is not a kind this version knows (%s)", ErrCorrupt, recon.Quote(fn.ID), recon.Quote(string(fn.Kind)), kindList())
	}
	if !validState(fn.State) {
		return fmt.Errorf("%w: node %s has state %s, which is not one of done, failed, queued, running or empty", ErrCorrupt, recon.Quote(fn.ID), recon.Quote(string(fn.State)))
	}
	parent := ""
	var pn *Node
	if fn.Parent != nil {
		parent = *fn.Parent
		pn = s.nodes[parent]
	}
	n := &Node{ID: fn.ID, Kind: fn.Kind, Value: fn.Value, Parent: parent, Relation: fn.Relation,
		Entity: s.entity(fn.Kind, fn.Value)}
	if n.Entity.Value == n.Value {
		n.Value = n.Entity.Value // one string for the 300 nodes of a shared SAN
	}
	// One map operation finds a repeated id (the session is dropped on
	// an error: what the failed node changed does not matter).
	before := len(s.nodes)
	s.nodes[n.ID] = n
	if len(s.nodes) == before {
		return fmt.Errorf("%w: node id %s appears twice", ErrCorrupt, recon.Quote(fn.ID))
	}
	if fn.Parent != nil && pn == nil {
		return fmt.Errorf("%w: node %s has parent %s, which does not come before it", ErrCorrupt, recon.Quote(fn.ID), recon.Quote(parent))
	}
	s.order = append(s.order, n.ID)
	s.indexNode(n)
	if parent == "" {
		s.roots = append(s.roots, n.ID)
	} else {
		pn.Children = append(pn.Children, n.ID)
	}
	if num, ok := strings.CutPrefix(n.ID, "n"); ok {
		if k, err := strconv.Atoi(num); err == nil && k > s.nextID {
			s.nextID = k
		}
	}
	notes, err := decodeNotes(fn.Notes, v, l.updated)
	if err != nil {
		return fmt.Errorf("%w: notes of node %s: %v", ErrCorrupt, recon.Quote(fn.ID), err)
	}
	hasScan := len(fn.Scan) > 0 && string(fn.Scan) != "null"
	e := n.Entity
	if l.filled[e.Key] || !hasScan && len(fn.History) == 0 && !hasEntityData(fn.fileNode, notes) {
		if hasScan && !json.Valid(fn.Scan) {
			// A repeated scan (version 1) is not read, but the file must
			// still be valid JSON: loadStream has not checked it.
			return fmt.Errorf("%w: the scan of node %s is not valid JSON", ErrCorrupt, recon.Quote(fn.ID))
		}
		return nil
	}
	l.filled[e.Key] = true
	e.State, e.Err, e.ScannedAt = fn.State, fn.Err, fn.ScannedAt
	e.Notes, e.Tags, e.FalsePositives = notes, fn.Tags, fn.FalsePositives
	e.FirstSeen = fn.FirstSeen
	if e.State == StateQueued || e.State == StateRunning {
		e.State = StateNone // a scan in flight when saved did not finish
	}
	var ps []*pending
	if hasScan {
		ps = append(ps, &pending{e: e, raw: fn.Scan, past: -1})
	}
	if v >= 3 {
		if len(fn.History) > MaxHistory {
			fn.History = fn.History[len(fn.History)-MaxHistory:]
		}
		for _, p := range fn.History {
			if len(p.Scan) == 0 || string(p.Scan) == "null" {
				continue
			}
			e.History = append(e.History, Past{At: p.At})
			ps = append(ps, &pending{e: e, raw: p.Scan, past: len(e.History) - 1})
		}
	}
	l.decode(ps...)
	return nil
}

// finish decodes the reports (in parallel) and completes the session.
func (l *loader) finish() (*Session, error) {
	l.stop()
	s, v, scans := l.s, l.v, l.scans
	errs := make([]error, len(scans))
	for i, err := range l.errs {
		errs[i] = err
	}
	for i, err := range errs {
		if err != nil {
			what := "the scan"
			if scans[i].past >= 0 {
				what = "an earlier scan"
			}
			return nil, fmt.Errorf("%w: %s of %s: %v; restore the file from a backup", ErrCorrupt, what, recon.Quote(scans[i].e.Value), err)
		}
	}
	for _, p := range scans {
		if p.past >= 0 {
			p.e.History[p.past].Scan = p.rep
		} else {
			p.e.Scan = p.rep
		}
	}
	for _, p := range scans {
		if p.past >= 0 {
			continue
		}
		e := p.e
		if e.State == StateNone && v >= 2 {
			e.State = StateDone // an earlier scan kept while a new one was running
		}
		if v == 1 {
			e.State = StateDone
			e.ScannedAt = e.Scan.Started.Add(time.Duration(e.Scan.DurationMS) * time.Millisecond)
		}
	}
	s.fillFirstSeen()
	s.opening = false
	s.rev++
	s.scans++
	return s, nil
}

// fillFirstSeen gives entities of files written before "first_seen" the
// best time the file still holds: a root, the start of its earliest kept
// scan; a pivot, the end of its parents' earliest kept scan. Values whose
// parents were never scanned stay unknown (zero).
func (s *Session) fillFirstSeen() {
	firstScan := func(e *Entity) (start, end time.Time) {
		if len(e.History) > 0 && e.History[0].Scan != nil {
			return e.History[0].Scan.Started, e.History[0].At
		}
		if e.Scan != nil {
			return e.Scan.Started, e.ScannedAt
		}
		return time.Time{}, time.Time{}
	}
	for _, id := range s.order {
		n := s.nodes[id]
		e := n.Entity
		if !e.FirstSeen.IsZero() && !e.firstSeenGuessed {
			continue
		}
		var t time.Time
		if n.Parent == "" {
			t, _ = firstScan(e)
		} else if p := s.nodes[n.Parent]; p != nil {
			_, t = firstScan(p.Entity)
		}
		if !t.IsZero() && (e.FirstSeen.IsZero() || t.Before(e.FirstSeen)) {
			e.FirstSeen, e.firstSeenGuessed = t, true
		}
	}
}

// validState reports whether st is a state a session file may hold.
func validState(st State) bool {
	switch st {
	case StateNone, StateQueued, StateRunning, StateDone, StateFailed:
		return true
	}
	return false
}

func kindList() string {
	out := make([]string, len(recon.PivotKinds))
	for i, k := range recon.PivotKinds {
		out[i] = string(k)
	}
	return strings.Join(out, ", ")
}

// parseVersion accepts the versions this package reads.
func parseVersion(raw json.RawMessage) (int, error) {
	v, err := strconv.Atoi(string(raw))
	switch {
	case err != nil:
		return 0, fmt.Errorf("%w: \"version\" is %s, not a whole number", ErrCorrupt, recon.Quote(string(raw)))
	case v > Version:
		return 0, fmt.Errorf("%w: written by a newer netspecter-tui (version %d); upgrade to open it", ErrNewerVersion, v)
	case v < 1:
		return 0, fmt.Errorf("%w: unknown version %d", ErrCorrupt, v)
	}
	return v, nil
}

// classify explains why a file starting with '{' did not decode.
func classify(b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		head := b[:min(len(b), 256)]
		if !bytes.Contains(head, []byte(`"version"`)) && !bytes.Contains(head, []byte(`"nodes"`)) {
			return fmt.Errorf("%w: it is not valid JSON", ErrNotSession)
		}
		if se.Offset < int64(len(b)) {
			return fmt.Errorf("%w: invalid JSON at byte %d (%v); fix or restore the file from a backup", ErrCorrupt, se.Offset, se)
		}
		return fmt.Errorf("%w: the file is truncated after %d bytes (cut off while being written or copied); restore it from a backup or re-run the investigation", ErrCorrupt, len(b))
	}
	// Valid JSON of another shape: a newer version may have changed it.
	var head struct {
		Version json.RawMessage `json:"version"`
	}
	if json.Unmarshal(b, &head) == nil && head.Version != nil {
		if _, verr := parseVersion(head.Version); verr != nil {
			return verr
		}
		return fmt.Errorf("%w: %v; restore the file from a backup", ErrCorrupt, err)
	}
	return fmt.Errorf("%w: it has no \"version\" (%v)", ErrNotSession, err)
}

func hasEntityData(fn fileNode, notes []Note) bool {
	return fn.Scan != nil || fn.State != "" || fn.Err != "" || !fn.ScannedAt.IsZero() ||
		len(notes) > 0 || len(fn.Tags) > 0 || len(fn.FalsePositives) > 0 || !fn.FirstSeen.IsZero()
}

// decodeNotes reads version-2 notes ({text, at}) or version-1 notes (plain
// strings, dated with the file's updated time).
func decodeNotes(raw json.RawMessage, version int, updated time.Time) ([]Note, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if string(raw) == "[]" && version >= 2 {
		return []Note{}, nil // most nodes; as json.Unmarshal would decode it
	}
	if version == 1 {
		var plain []string
		if err := json.Unmarshal(raw, &plain); err != nil {
			return nil, err
		}
		var out []Note
		for _, t := range plain {
			out = append(out, Note{Text: t, At: updated})
		}
		return out, nil
	}
	var out []Note
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Load reads a session file without modifying it; older versions are
// migrated in memory (Save writes the current version).
//
// The file is decoded as a stream, node by node, by the fast path of
// loadfast.go, so a big case never has its whole text and every decoded
// node in memory at once (a 1,000,000-node file took 2.4 GB read whole);
// the reports decode in parallel as they come. Should the stream not
// decode (a damaged file, or one whose "version", "created" or "updated"
// come after "nodes"), the file is read whole by Unmarshal, which gives
// the same session or the precise error.
func Load(path string) (*Session, error) {
	o, err := open(path, false)
	if err != nil {
		return nil, err
	}
	return o.Finish()
}

// errStream: the stream did not decode; Load reads the file whole.
var errStream = errors.New("pivot: the session does not stream")
