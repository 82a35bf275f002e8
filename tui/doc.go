// Package tui is the netspecter workbench: a bubbletea program with the
// pivot tree on the left (package treeview), the selected node's detail on
// the right (detail), a clusters pane (clusters, with the comparison
// matrix and timeline of compare and the changes view of changes), a
// status bar (statusbar) and dialogs (dialog), drawn in one set of styles
// (styles); listnav is the cursor list the scrolling lists share (window,
// wheel, up/down/jump keys, the selected line).
//
// The root model, App, routes; the panes and dialogs work. Update handles
// the window size and app-level messages itself and hands keys and the
// mouse on in one order:
//
//  1. the open dialog, if any (App.overlay, a dialog.Overlay). A dialog
//     carries its next step: the closure given to OnDone, OnPick,
//     OnConfirm or OnCancel captures what the step needs (the node, the
//     format chosen, the module ids offered) and runs when it closes, so
//     App keeps no in-between state and dispatches on no dialog id. View
//     and the footer ask the same overlay first. Only ctrl+c passes a
//     dialog by: it leaves it as esc would and quits (quitKey).
//  2. the global keys: one table, bindings in keys.go, of
//     {Keys, Section, Hint, Guard, Run}. onKey runs the first row that
//     matches and whose Guard allows it (a guard either lets the key fall
//     through, as n is a note unless a search is under way, or refuses it
//     with the reason as a toast); the footer's key hints and the full
//     help (?) are read from the same rows.
//  3. the focused pane (the clusters pane takes every key but the rows
//     marked hintAlways).
//
// App's state is grouped by concern, each group with its methods in its
// own file: the scan scheduler (scan.go; rescan.go for R), the clusters
// cache (clustercache.go), the search (search.go), the toast (toast.go),
// the source checks (sources.go), saves and exports (save.go,
// overwrite.go, lifecycle.go), and the actions on a node (notes.go,
// falsepositive.go, links.go, evidence.go, modules.go, tree.go).
//
// Scans run as tea.Cmds with copied inputs and come back as typed
// messages tagged with the entity's scan number, so stale ones are
// dropped; saves and exports write a snapshot of the pivot.Session taken
// on the Update goroutine, which owns the session.
//
// Start it with Run(Options), or embed New(Options) in another program.
package tui
