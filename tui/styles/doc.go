// Package styles holds every lipgloss style of the workbench in one struct,
// built once, so that no View calls lipgloss.NewStyle. Colours are adaptive
// (light/dark) and degrade through termenv to 16 colours, and to none with
// NO_COLOR or the ASCII profile.
package styles
