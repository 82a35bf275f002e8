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
// write, and the scans wait for it (300 saves of a growing 36 MB file made
// a 300-scan fan-out 20 times slower).
type autosaver struct {
	s        *pivot.Session
	path     string
	mu       sync.Mutex
	lastDone int
	next     time.Time
}

// progress is a pivot Progress hook: it saves when scans finished since
// the last save and the throttle allows.
func (a *autosaver) progress(p pivot.Progress) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p.Done+p.Failed > a.lastDone && !time.Now().Before(a.next) {
		a.lastDone = p.Done + p.Failed
		began := time.Now()
		a.s.Lock() // Marshal reads the session while scans are attached
		_ = pivot.Save(a.s, a.path)
		a.s.Unlock()
		a.next = time.Now().Add(max(2*time.Second, 9*time.Since(began)))
	}
}

// final saves the session once the run is over.
func (a *autosaver) final() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return pivot.Save(a.s, a.path)
}
