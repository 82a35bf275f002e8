// Package clusters is the clusters pane ("build the picture"): every
// cluster of the session with its score, what its members share, and the
// members themselves; enter on a member asks the root to jump to it.
package clusters
