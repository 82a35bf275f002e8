// Package clusters is the clusters pane ("build the picture"), with four
// views under one tab line (v cycles, 1-4 pick): the clusters of the
// session, each with its score, its members, what they share (the
// heaviest first, each key's weight before it, a long value cut in the
// middle; for the cursor's cluster each key's why wrapped under it, for
// the others as much as one line holds) and the analyst's false-positive
// marks on those links (layout.go); the comparison matrix and the registration
// timeline (tui/compare, full width); and what the last rescan changed
// (tui/changes). Enter on a member or a row asks the root to jump to it;
// esc closes the pane.
package clusters
