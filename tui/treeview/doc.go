// Package treeview is the pivot tree pane: the session's forest flattened
// into rows from the expanded nodes, of which only the visible window is
// rendered. The flattened rows are cached and rebuilt only when the tree
// changes (Refresh) or a node is expanded or collapsed, so ten thousand
// nodes scroll as fast as ten.
//
// A filter (Filter: flagged, unscanned, domains, addresses, ...) shows the
// matching nodes and the paths to them; S cycles the order of children
// (Sort). Each row shows the node's kind tag, value and relation, then its
// scan state and progress, change mark, note mark, cluster badge and
// verdict. Files: treeview.go (the model), filter.go, view.go, keys.go.
package treeview
