package tui

import (
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// clusterCache is the session's clusters and who is in them, as of the
// last refreshClusters. stale says the session changed since and at when
// they were last computed (see maybeRefreshClusters); held: the first
// computation waits for the first frame (a 92k-node session's first,
// full computation takes 0.15–0.3 s), released by clustersDueMsg, a change to the
// session or ensureClusters.
type clusterCache struct {
	list  []pivot.Cluster
	of    map[pivot.EntityKey][]int // an entity's indexes in list
	stale bool
	held  bool
	at    time.Time
	cost  time.Duration // how long the last computation took
}

// clustersDueMsg releases the first computation of the clusters, once the
// first frame is drawn.
type clustersDueMsg struct{}

// freeAfterOpen is the node count from which the workbench returns the memory
// freed after opening a session to the system.
const freeAfterOpen = 20000

// Clusters follow each landed scan: the session updates them from the
// scan's entity (pivot/clustercache.go; about 2 ms with the 300 domains of a
// 92k-node session). Should one update cost more than clusterBudget (a
// case with thousands of scanned domains), they are recomputed at most
// every clusterEvery while scans are still landing, so that a landing,
// and the key press queued behind it, stay quick.
const (
	clusterBudget = 8 * time.Millisecond
	clusterEvery  = 2 * time.Second
)

// maybeRefreshClusters recomputes stale clusters now, unless the last
// computation took more than clusterBudget and a burst of scans is still
// landing: then at most every clusterEvery until it ends.
func (a *App) maybeRefreshClusters() {
	if !a.clu.stale || a.clu.held || a.opening() {
		return
	}
	if a.clu.cost > clusterBudget && a.sched.active() && time.Since(a.clu.at) < clusterEvery {
		return
	}
	a.refreshClusters()
}

// ensureClusters brings stale clusters up to date now (views and actions
// that show clusters); it reports whether it recomputed them.
func (a *App) ensureClusters() bool {
	a.clu.held = false
	if a.clu.stale {
		a.refreshClusters()
		return true
	}
	return false
}

func (a *App) refreshClusters() {
	a.clu.stale = false
	a.clu.at = time.Now()
	a.shown.rev = -1 // the detail pane shows the clusters of its node
	a.clu.list = a.s.Clusters()
	a.clu.cost = time.Since(a.clu.at)
	badges := map[pivot.EntityKey]string{}
	of := a.s.ClusterIndex()
	for k, idx := range of {
		b := "◆" + itoa(idx[0]+1)
		if len(idx) > 1 {
			b += "+"
		}
		badges[k] = b
	}
	a.clu.of = of
	a.tree.SetBadges(badges)
	if a.showClusters {
		a.clus.SetClusters(a.clu.list, a.s)
	}
}
