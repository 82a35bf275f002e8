package pivot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// ScanFunc runs one Full Scan. It is the only way Investigate reaches the
// network; tests pass a fake.
type ScanFunc func(ctx context.Context, t recon.Target) *recon.Report

// Follow names a kind of pivot that Investigate follows.
type Follow string

// The pivots Investigate can follow and the relations they stand for.
const (
	FollowSAN       Follow = "san"       // certificate SANs (relation SAN)
	FollowIP        Follow = "ip"        // A and AAAA records
	FollowNS        Follow = "ns"        // name servers
	FollowMX        Follow = "mx"        // mail exchangers
	FollowSubdomain Follow = "subdomain" // names from Certificate Transparency (CT)
	FollowPTR       Follow = "ptr"       // reverse DNS of an IP
	FollowCNAME     Follow = "cname"     // CNAME targets
	FollowHostname  Follow = "hostname"  // hostnames InternetDB saw on an IP
)

var followRelations = map[Follow][]string{
	FollowSAN:       {recon.RelSAN},
	FollowIP:        {recon.RelA, recon.RelAAAA},
	FollowNS:        {recon.RelNS},
	FollowMX:        {recon.RelMX},
	FollowSubdomain: {recon.RelCT},
	FollowPTR:       {recon.RelPTR},
	FollowCNAME:     {recon.RelCNAME},
	FollowHostname:  {recon.RelHostname},
}

// AllFollows lists every Follow value in the order shown in help texts.
var AllFollows = []Follow{FollowSAN, FollowIP, FollowNS, FollowMX, FollowSubdomain, FollowPTR, FollowCNAME, FollowHostname}

// DefaultFollow is what Investigate follows when InvestigateOptions.Follow is
// empty: certificate SANs (the strongest lead to sibling domains: the seed's
// nova-parcels.com → nova-tracking.net, nova-returns.co) and the addresses
// the domains resolve to. Name servers are not followed by default: scanning
// a hosting company's name server tells little, and NS sharing is already
// found by Clusters from the facts.
var DefaultFollow = []Follow{FollowSAN, FollowIP}

// Defaults of InvestigateOptions.
const (
	DefaultDepth       = 2
	DefaultMaxScans    = 100
	DefaultConcurrency = 4
)

// ParseFollow reads a comma-separated list such as "san,ip,ns".
func ParseFollow(s string) ([]Follow, error) {
	var out []Follow
	for _, part := range strings.Split(s, ",") {
		f := Follow(strings.ToLower(strings.TrimSpace(part)))
		if f == "" {
			continue
		}
		if _, ok := followRelations[f]; !ok {
			names := make([]string, len(AllFollows))
			for i, a := range AllFollows {
				names[i] = string(a)
			}
			return nil, fmt.Errorf("pivot: unknown pivot to follow %q; use a comma-separated list of %s", part, strings.Join(names, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pivot: nothing to follow in %q; use e.g. san,ip", s)
	}
	return out, nil
}

// InvestigateOptions tune Investigate. Zero values mean the defaults,
// except Depth: 0 scans only the root (the CLI's default is DefaultDepth).
type InvestigateOptions struct {
	Depth       int      // levels below the root to scan
	Follow      []Follow // pivots to follow; empty: DefaultFollow
	MaxScans    int      // scans in total, root included; <= 0: DefaultMaxScans
	Concurrency int      // scans in flight; <= 0: DefaultConcurrency
	Progress    func(Progress)
	Now         func() time.Time
}

// Progress is reported after every change of Investigate's queue. Total is
// the number of scans planned so far (Done + Failed + Running + Queued); a
// target that does not parse counts as planned and failed.
type Progress struct {
	Done, Running, Queued, Failed, Total int
	Last                                 string // the value just finished
	Err                                  string // its error, if it failed
}

// Investigate scans root and follows its pivots breadth-first: the root at
// depth 0, then the followed, scannable children of each scanned node, level
// by level, up to opts.Depth. Each entity is scanned at most once (an entity
// already scanned in the session is not scanned again, and its children are
// added from the stored scan); later nodes of the same entity share that
// scan and are not expanded again. Results are attached in queue order, not
// completion order, so two runs over the same data build the same tree.
// Progress calls are serialised.
//
// On cancellation it launches nothing more, waits for the scans in flight
// (their reports are kept), and returns ctx.Err(); the session holds
// everything found and the caller still saves it. Session changes are made
// under s.Lock; Progress is called without the lock.
func Investigate(ctx context.Context, s *Session, root recon.Target, scan ScanFunc, opts InvestigateOptions) error {
	if scan == nil {
		return fmt.Errorf("pivot: Investigate needs a ScanFunc")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	follow := opts.Follow
	if len(follow) == 0 {
		follow = DefaultFollow
	}
	rels := map[string]bool{}
	for _, f := range follow {
		for _, r := range followRelations[f] {
			rels[r] = true
		}
	}
	maxScans := opts.MaxScans
	if maxScans <= 0 {
		maxScans = DefaultMaxScans
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	depth := max(opts.Depth, 0)

	// prog is changed only through update, which also reports it: Progress
	// calls are serialised and see every change in order.
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

	s.Lock()
	level := []string{s.AddRoot(root).ID}
	s.Unlock()

	visited := map[EntityKey]bool{} // entities scanned or expanded in this run
	scans := 0
	for d := 0; d <= depth && len(level) > 0; d++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Plan this level: one job per entity, in queue order.
		type job struct {
			node    string
			target  recon.Target
			rep     *recon.Report
			started bool
			done    chan struct{}
		}
		var jobs []*job
		var failed [][2]string  // value, error: targets that do not parse
		var expandOnly []string // nodes whose entity was scanned before this run
		s.Lock()
		for _, id := range level {
			n := s.nodes[id]
			e := n.Entity
			if visited[e.Key] {
				continue
			}
			if e.Scan != nil && e.State == StateDone {
				visited[e.Key] = true
				expandOnly = append(expandOnly, id)
				continue
			}
			if scans >= maxScans {
				continue
			}
			t, err := n.Target()
			if err != nil {
				visited[e.Key] = true
				s.SetState(id, StateFailed, err.Error())
				failed = append(failed, [2]string{n.Value, err.Error()})
				continue
			}
			visited[e.Key] = true
			scans++
			s.SetState(id, StateQueued, "")
			jobs = append(jobs, &job{node: id, target: t, done: make(chan struct{})})
		}
		// Expanding a stored scan keeps its order among the level's nodes
		// because it only adds children, which the next level reads in
		// node order.
		for _, id := range expandOnly {
			for _, p := range s.nodes[id].Entity.Scan.Pivots() {
				if KeyOf(p.Kind, p.Value) != s.nodes[id].Entity.Key {
					s.AddChild(id, p)
				}
			}
		}
		s.Unlock()
		for _, f := range failed {
			update(func(p *Progress) { p.Failed++; p.Total++; p.Last, p.Err = f[0], f[1] })
		}
		update(func(p *Progress) { p.Queued += len(jobs); p.Total += len(jobs) })

		// Run: a pool of workers takes jobs in order; results are committed
		// in order as soon as every earlier job has finished.
		next := make(chan *job)
		var wg sync.WaitGroup
		var mu sync.Mutex // guards job.started
		for range min(workers, len(jobs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range next {
					s.Lock()
					s.SetState(j.node, StateRunning, "")
					s.Unlock()
					mu.Lock()
					j.started = true
					mu.Unlock()
					update(func(p *Progress) { p.Queued--; p.Running++ })
					j.rep = scan(ctx, j.target)
					close(j.done)
				}
			}()
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

		var nextLevel []string
		for _, j := range jobs {
			select {
			case <-j.done:
			case <-ctx.Done():
				wg.Wait() // the scans in flight finish; what they found is kept
			}
			mu.Lock()
			started := j.started
			mu.Unlock()
			s.Lock()
			n := s.nodes[j.node]
			switch {
			case !started:
				s.SetState(j.node, StateNone, "") // never launched: not scanned
			case j.rep == nil && ctx.Err() != nil:
				s.SetState(j.node, StateNone, "") // cut short: not scanned
			case j.rep == nil:
				s.SetState(j.node, StateFailed, "the scan returned no report")
			default:
				s.Attach(j.node, j.rep, now())
				n = s.nodes[j.node] // Attach may have copied it (Snapshot)
				for _, c := range n.Children {
					if rels[s.nodes[c].Relation] && Scannable(s.nodes[c].Kind) {
						nextLevel = append(nextLevel, c)
					}
				}
			}
			errText := s.nodes[j.node].Entity.Err // as SetState left it
			s.Unlock()
			cancelled := ctx.Err() != nil
			update(func(p *Progress) {
				switch {
				case !started:
					p.Queued--
					p.Total--
				case j.rep == nil:
					p.Running--
					p.Last, p.Err = n.Value, errText
					if cancelled {
						p.Total--
					} else {
						p.Failed++
					}
				default:
					p.Running--
					p.Done++
					p.Last, p.Err = n.Value, ""
				}
			})
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
		// Children of nodes expanded from a stored scan join the next level
		// too, after the fresh ones (both in node order).
		s.Lock()
		for _, id := range expandOnly {
			for _, c := range s.nodes[id].Children {
				if rels[s.nodes[c].Relation] && Scannable(s.nodes[c].Kind) {
					nextLevel = append(nextLevel, c)
				}
			}
		}
		s.Unlock()
		level = nextLevel
	}
	return ctx.Err()
}
