// Package dialog has the small interactive pieces the workbench opens over
// its panes: a one-line Prompt (bubbles/textinput) with an inline error, a
// Picker of a few choices, and an Info box that scrolls. Each returns its
// concrete type and a Result from Update, so the root reads the outcome
// synchronously without type assertions.
package dialog
