package pivot

import (
	"bufio"
	"fmt"
	"os"
)

// Opening is a session file being opened: Open has read its tree (every
// node, entity, note and state, checked as strictly as Load checks them)
// and its reports are decoding on every core (they wait until the tree is
// read: Load decodes them as they come). A workbench draws the
// tree at once and puts the reports in place with Finish when Done is
// closed: a 92k-node file shows its tree in about half the time Load
// takes.
//
// Until Finish, the session's entities have no reports (Entity.Scan and
// History[i].Scan are nil even where State is done) and Marshal refuses
// it (ErrOpening): nothing can save it half read.
type Opening struct {
	path string
	s    *Session
	l    *loader // nil once finished, or when the file was read whole
	done <-chan struct{}
	err  error // Finish's
}

// closedChan is a Done channel with nothing to wait for.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Open reads the tree of the session file at path and returns while its
// reports decode. An error is one Load would give (a damaged tree, a newer
// version, a missing file); a damaged report is reported by Finish.
func Open(path string) (*Opening, error) { return open(path, true) }

// open is Open; treeFirst: the reports wait for the tree (see loader).
func open(path string, treeFirst bool) (*Opening, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pivot: opening the session: %w", err)
	}
	l, serr := streamTree(bufio.NewReaderSize(f, 1<<20), 1<<20, treeFirst)
	f.Close()
	if serr == nil {
		return &Opening{path: path, s: l.s, l: l, done: l.done}, nil
	}
	s, err := readWhole(path)
	if err != nil {
		return nil, err
	}
	return &Opening{path: path, s: s, done: closedChan}, nil
}

// Session returns the session being opened: its tree only until Finish
// (see Opening). Read it on the goroutine that will call Finish.
func (o *Opening) Session() *Session { return o.s }

// Done is closed when every report is decoded: Finish then returns at once.
func (o *Opening) Done() <-chan struct{} { return o.done }

// Progress returns how many of the file's reports are decoded so far, and
// how many it has.
func (o *Opening) Progress() (decoded, total int) {
	if o.l == nil {
		return 0, 0
	}
	return int(o.l.decoded.Load()), len(o.l.scans)
}

// Finish waits for the reports, puts them in place and returns the
// complete session: the one Session returned — or, should a report not
// decode as it streamed, the file read whole as Load reads it, which gives
// the precise error (or, were the stream at fault, another *Session with
// the same content). Call it on the goroutine that owns the session; later
// calls return the same result.
func (o *Opening) Finish() (*Session, error) {
	if o.l == nil {
		return o.s, o.err
	}
	l := o.l
	o.l = nil
	<-l.done
	s, err := l.finish()
	if err != nil {
		s, err = readWhole(o.path)
	}
	o.s, o.err = s, err
	return s, err
}

// readWhole reads the file at path whole with Unmarshal.
func readWhole(path string) (*Session, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pivot: opening the session: %w", err)
	}
	s, err := Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("pivot: %s: %w", path, err)
	}
	return s, nil
}
