// Package clusters is the clusters pane ("build the picture"), with four
// views under one tab line (v cycles, 1-4 pick): the clusters of the
// session, each with its score, what its members share with each key's
// weight and why, the analyst's false-positive marks on those links, and
// the members themselves; the comparison matrix and the registration
// timeline (tui/compare, full width); and what the last rescan changed
// (tui/changes). Enter on a member or a row asks the root to jump to it;
// esc closes the pane.
package clusters
