package diff

import (
	"slices"

	"github.com/netspecter/netspecter-tui/pivot"
)

// Clusters are the cluster changes. Clusters are matched by members: an old
// and a new cluster are the same group when they have a member in common.
type Clusters struct {
	// Formed: new clusters none of whose members was in an old cluster.
	Formed []ClusterRef `json:"formed"`
	// Gone: old clusters none of whose members is in a new cluster.
	Gone []ClusterRef `json:"gone"`
	// Grown and Shrunk: one old cluster became one new cluster with more
	// (fewer) members; Changed: the same members share other things.
	Grown   []ClusterMove `json:"grown"`
	Shrunk  []ClusterMove `json:"shrunk"`
	Changed []ClusterMove `json:"changed"`
	// Split: one old cluster is now in several; Merged: several old ones
	// are now one.
	Split  []ClusterSplit `json:"split"`
	Merged []ClusterSplit `json:"merged"`
}

// ClusterRef is one cluster of one side.
type ClusterRef struct {
	Members []string `json:"members"`
	Shared  []string `json:"shared"`
	Score   float64  `json:"score"`
}

// ClusterMove is one cluster on both sides and what moved.
type ClusterMove struct {
	Old           ClusterRef `json:"old"`
	New           ClusterRef `json:"new"`
	Joined        []string   `json:"joined,omitempty"`
	Left          []string   `json:"left,omitempty"`
	SharedAdded   []string   `json:"shared_added,omitempty"`
	SharedRemoved []string   `json:"shared_removed,omitempty"`
}

// ClusterSplit is a cluster that split (one Old, several New) or clusters
// that merged (several Old, one New).
type ClusterSplit struct {
	Old []ClusterRef `json:"old"`
	New []ClusterRef `json:"new"`
}

func ref(c pivot.Cluster) ClusterRef {
	return ClusterRef{Members: norm(c.Members), Shared: norm(c.Shared), Score: c.Score}
}

func overlaps(a, b []string) bool {
	for _, v := range a {
		if _, ok := slices.BinarySearch(b, v); ok {
			return true
		}
	}
	return false
}

func compareClusters(old, new []pivot.Cluster) Clusters {
	out := Clusters{Formed: []ClusterRef{}, Gone: []ClusterRef{}, Grown: []ClusterMove{}, Shrunk: []ClusterMove{},
		Changed: []ClusterMove{}, Split: []ClusterSplit{}, Merged: []ClusterSplit{}}
	o := make([]ClusterRef, len(old))
	for i, c := range old {
		o[i] = ref(c)
	}
	n := make([]ClusterRef, len(new))
	for i, c := range new {
		n[i] = ref(c)
	}
	// links[i] are the new clusters old cluster i overlaps; back[j] the reverse.
	links := make([][]int, len(o))
	back := make([][]int, len(n))
	for i := range o {
		for j := range n {
			if overlaps(o[i].Members, n[j].Members) {
				links[i] = append(links[i], j)
				back[j] = append(back[j], i)
			}
		}
	}
	pick := func(rs []ClusterRef, idx []int) []ClusterRef {
		var out []ClusterRef
		for _, i := range idx {
			out = append(out, rs[i])
		}
		return out
	}
	for i := range o {
		switch {
		case len(links[i]) == 0:
			out.Gone = append(out.Gone, o[i])
		case len(links[i]) > 1:
			out.Split = append(out.Split, ClusterSplit{Old: []ClusterRef{o[i]}, New: pick(n, links[i])})
		}
	}
	for j := range n {
		switch {
		case len(back[j]) == 0:
			out.Formed = append(out.Formed, n[j])
		case len(back[j]) > 1:
			out.Merged = append(out.Merged, ClusterSplit{Old: pick(o, back[j]), New: []ClusterRef{n[j]}})
		case len(links[back[j][0]]) == 1: // one to one
			a, b := o[back[j][0]], n[j]
			m := ClusterMove{Old: a, New: b}
			m.Joined, m.Left = setDiff(a.Members, b.Members)
			m.SharedAdded, m.SharedRemoved = setDiff(a.Shared, b.Shared)
			switch {
			case len(m.Joined) > 0 && len(m.Left) == 0:
				out.Grown = append(out.Grown, m)
			case len(m.Left) > 0 && len(m.Joined) == 0:
				out.Shrunk = append(out.Shrunk, m)
			case len(m.Joined) > 0 || len(m.SharedAdded) > 0 || len(m.SharedRemoved) > 0:
				out.Changed = append(out.Changed, m)
			}
		}
	}
	return out
}
