// keys.go holds the tree's key map and its help.

package treeview

import (
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap are the tree's keys.
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Expand, Collapse, Toggle,
	ExpandAll, CollapseAll, Sort key.Binding
}

// DefaultKeyMap returns the tree's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Expand:      key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
		Collapse:    key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse")),
		Toggle:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		ExpandAll:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "expand all under the selection")),
		CollapseAll: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "collapse all")),
		Sort:        key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sort children: tree order, verdict, name, kind")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.Expand} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}, {k.Expand, k.Collapse, k.Toggle, k.ExpandAll, k.CollapseAll, k.Sort}}
}
