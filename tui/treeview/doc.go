// Package treeview is the pivot tree pane: the session's forest flattened
// into rows from the expanded nodes, of which only the visible window is
// rendered. The flattened rows are cached and rebuilt only when the tree
// changes (Refresh) or a node is expanded or collapsed, so ten thousand
// nodes scroll as fast as ten.
package treeview
