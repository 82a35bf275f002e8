// Package tui is the netspecter workbench: a bubbletea program with the
// pivot tree on the left (package treeview), the selected node's detail on
// the right (detail), a clusters pane (clusters, with the comparison
// matrix and timeline of compare and the changes view of changes), a
// status bar (statusbar) and small dialogs (dialog). The root model in this package routes
// messages and keys to them and owns the pivot.Session; scans run as
// tea.Cmds with copied inputs and come back as typed messages.
//
// Start it with Run(Options), or embed New(Options) in another program.
package tui
