package main

import (
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// autosaver saves a session while a headless run (investigate, --rescan)
// goes on, so a killed process leaves a recent complete state on disk
// (saving is atomic). It saves after finished scans, at most every 2 s and
// never more than a tenth of the time: a big session takes a while to
// write (300 saves of a growing 36 MB file made a 300-scan fan-out 20
// times slower).
//
// Each save writes a snapshot of the session (pivot.Session.Snapshot),
// taken under the session's lock, in a goroutine of its own: the scans
// only wait for the copy, not for the encoding and the disk.
type autosaver struct {
	s    *pivot.Session
	path string

	mu       sync.Mutex // guards the fields below
	lastDone int
	next     time.Time
	writing  bool // a snapshot is being written; a save meanwhile is skipped
	wg       sync.WaitGroup
}

// progress is a pivot Progress hook (called without the session's lock):
// it saves when scans finished since the last save and the throttle allows.
func (a *autosaver) progress(p pivot.Progress) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.writing || p.Done+p.Failed <= a.lastDone || time.Now().Before(a.next) {
		return
	}
	a.lastDone = p.Done + p.Failed
	a.s.Lock()
	// The clusters (written in the file) are brought up to date on the
	// session itself: from then on each landed scan updates them in place
	// (1–3 ms), the snapshot shares them, and neither this save nor the
	// final one computes them over the whole session (0.15 s at 92k nodes).
	a.s.Clusters()
	snap := a.s.Snapshot()
	a.s.Unlock()
	a.writing = true
	a.wg.Go(func() {
		began := time.Now()
		_ = pivot.Save(snap, a.path) // best effort: final reports the error
		a.mu.Lock()
		a.writing = false
		a.next = time.Now().Add(max(2*time.Second, 9*time.Since(began)))
		a.mu.Unlock()
	})
}

// final saves the session once the run is over, after the save still
// writing an earlier snapshot, so that one never lands last.
func (a *autosaver) final() error {
	a.wg.Wait()
	return pivot.Save(a.s, a.path)
}
