package pivot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// RescanOptions tune Rescan. Zero values mean the defaults.
type RescanOptions struct {
	Concurrency int // scans in flight; <= 0: DefaultConcurrency
	Progress    func(Progress)
	Now         func() time.Time
}

// Rescannable returns, in tree order, one node of every entity that has a
// report (the entities a rescan scans again).
func (s *Session) Rescannable() []string {
	var out []string
	seen := map[EntityKey]bool{}
	for _, id := range s.order {
		n := s.nodes[id]
		if e := n.Entity; e.Scan != nil && !seen[e.Key] && Scannable(n.Kind) {
			seen[e.Key] = true
			out = append(out, id)
		}
	}
	return out
}

// Rescan scans every entity of the session that has a report again, with at
// most opts.Concurrency scans in flight. Each new report replaces the old
// one, which moves to the entity's history (Attach), and the pivots it
// yields are added under the node; what it no longer yields stays in the
// tree and Session.Current leaves it out. A scan that returns no report
// keeps the old one. Results are attached in tree order, so two runs over
// the same data build the same tree. On cancellation nothing more starts,
// the scans in flight finish and are kept, and ctx.Err() is returned.
// Session changes are made under s.Lock; Progress is called without it.
func Rescan(ctx context.Context, s *Session, scan ScanFunc, opts RescanOptions) error {
	if scan == nil {
		return fmt.Errorf("pivot: Rescan needs a ScanFunc")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	type job struct {
		node   string
		value  string
		target recon.Target
		rep    *recon.Report
		ran    bool
		done   chan struct{}
	}
	var prog Progress
	var progMu sync.Mutex
	update := func(change func(p *Progress)) {
		progMu.Lock()
		defer progMu.Unlock()
		change(&prog)
		if opts.Progress != nil {
			opts.Progress(prog)
		}
	}

	var jobs []*job
	var failed [][2]string
	s.Lock()
	for _, id := range s.Rescannable() {
		n := s.nodes[id]
		t, err := n.Target()
		if err != nil {
			failed = append(failed, [2]string{n.Value, err.Error()})
			continue
		}
		s.SetState(id, StateQueued, "")
		jobs = append(jobs, &job{node: id, value: n.Value, target: t, done: make(chan struct{})})
	}
	s.Unlock()
	for _, f := range failed {
		update(func(p *Progress) { p.Failed++; p.Total++; p.Last, p.Err = f[0], f[1] })
	}
	update(func(p *Progress) { p.Queued += len(jobs); p.Total += len(jobs) })

	next := make(chan *job)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for j := range next {
				if ctx.Err() != nil {
					continue // cancelled: start nothing more
				}
				s.Lock()
				s.SetState(j.node, StateRunning, "")
				s.Unlock()
				update(func(p *Progress) { p.Queued--; p.Running++ })
				j.rep = scan(ctx, j.target)
				j.ran = true
				close(j.done)
			}
		})
	}
	go func() {
		defer close(next)
		for _, j := range jobs {
			if ctx.Err() != nil {
				return
			}
			select {
			case next <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for _, j := range jobs {
		select {
		case <-j.done:
		case <-ctx.Done():
			wg.Wait() // the scans in flight finish; what they found is kept
		}
		ran := false
		select {
		case <-j.done:
			ran = j.ran
		default:
		}
		s.Lock()
		switch {
		case ran && j.rep != nil:
			s.Attach(j.node, j.rep, now())
		default:
			s.SetState(j.node, StateDone, "") // not run, or no report: the old one stays
		}
		s.Unlock()
		cancelled := ctx.Err() != nil
		update(func(p *Progress) {
			switch {
			case !ran:
				p.Queued--
				p.Total--
			case j.rep == nil:
				p.Running--
				p.Last, p.Err = j.value, "the scan returned no report; the earlier one is kept"
				if cancelled {
					p.Total--
				} else {
					p.Failed++
				}
			default:
				p.Running--
				p.Done++
				p.Last, p.Err = j.value, ""
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
