package tui

import (
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// clusterCache is the session's clusters and who is in them, as of the
// last refreshClusters. stale says the session changed since and at when
// they were last computed (see maybeRefreshClusters); held: the first
// computation waits for the first frame (a 92k-node session's clusters
// took 0.15–0.3 s before it), released by clustersDueMsg, a change to the
// session or ensureClusters.
type clusterCache struct {
	list  []pivot.Cluster
	of    map[pivot.EntityKey][]int // an entity's indexes in list
	stale bool
	held  bool
	at    time.Time
}

// clustersDueMsg releases the first computation of the clusters, once the
// first frame is drawn.
type clustersDueMsg struct{}

// freeAfterOpen is the node count from which the workbench returns the memory
// freed after opening a session to the system.
const freeAfterOpen = 20000

// clusterEvery is how often clusters are recomputed while scans are still
// landing. Clusters are computed over the whole session (0.3–0.7 s for a
// 92k-node one on a loaded machine); recomputing them for each landed scan
// made every landing, and the key press queued behind it, that slow.
const clusterEvery = 2 * time.Second

// maybeRefreshClusters recomputes stale clusters once a burst of scans has
// ended (nothing running or queued), and at most every clusterEvery while
// it lasts.
func (a *App) maybeRefreshClusters() {
	if !a.clu.stale || a.clu.held {
		return
	}
	if a.sched.active() && time.Since(a.clu.at) < clusterEvery {
		return
	}
	a.refreshClusters()
}

// ensureClusters brings stale clusters up to date now (views and actions
// that show clusters).
func (a *App) ensureClusters() {
	a.clu.held = false
	if a.clu.stale {
		a.refreshClusters()
	}
}

func (a *App) refreshClusters() {
	a.clu.stale = false
	a.clu.at = time.Now()
	a.shown.rev = -1 // the detail pane shows the clusters of its node
	a.clu.list = a.s.Clusters()
	badges := map[pivot.EntityKey]string{}
	of := map[pivot.EntityKey][]int{}
	for _, e := range a.s.Entities() {
		if idx := a.s.ClusterOf(e.Key); len(idx) > 0 {
			of[e.Key] = idx
			b := "◆" + itoa(idx[0]+1)
			if len(idx) > 1 {
				b += "+"
			}
			badges[e.Key] = b
		}
	}
	a.clu.of = of
	a.tree.SetBadges(badges)
	if a.showClusters {
		a.clus.SetClusters(a.clu.list, a.s)
	}
}
