// Package statusbar is the one-line bar under the panes: running and
// queued scans, where the session is saved (and whether it is, or is
// being), the autosave path and the read-only state when another
// workbench holds the session file, the lab indicator, and a toast area
// for action errors and info.
package statusbar
