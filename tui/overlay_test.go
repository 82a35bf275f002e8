package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// The open dialog, when it is of the kind asked for (else nil).
func (a *App) curPrompt() *dialog.Prompt       { p, _ := a.overlay.(*dialog.Prompt); return p }
func (a *App) curPicker() *dialog.Picker       { p, _ := a.overlay.(*dialog.Picker); return p }
func (a *App) curChecklist() *dialog.Checklist { p, _ := a.overlay.(*dialog.Checklist); return p }
func (a *App) curConfirm() *dialog.Confirm     { p, _ := a.overlay.(*dialog.Confirm); return p }

// curInfo is the open info box with this id, or nil.
func (a *App) curInfo(id string) *dialog.Info {
	if p, _ := a.overlay.(*dialog.Info); p != nil && p.ID == id {
		return p
	}
	return nil
}

// quitAsked reports whether the footer asks before quitting.
func (a *App) quitAsked() bool {
	c := a.curConfirm()
	return c != nil && strings.Contains(c.Text(), "Quit anyway?")
}

// offeredModules are the module ids the open module checklist offers.
func (a *App) offeredModules() []string {
	c := a.curChecklist()
	if c == nil {
		return nil
	}
	var ids []string
	for _, it := range c.Items {
		ids = append(ids, strings.Fields(it)[0])
	}
	return ids
}

// TestTargetPromptHintsItsKeys: the footer under the boxed target prompt
// (+) offers only what the prompt does with a key, enter and esc; j and k
// are text there (typed into the box), not up and down.
func TestTargetPromptHintsItsKeys(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.keys("+")
	if p := h.a.curPrompt(); p == nil || p.ID != "target" {
		t.Fatal("+ did not open the target prompt")
	}
	foot := ansi.Strip(h.a.footer())
	if strings.Contains(foot, "↓/j") || strings.Contains(foot, "↑/k") || !strings.Contains(foot, "enter") || !strings.Contains(foot, "esc") {
		t.Errorf("footer under the target prompt: %q", foot)
	}
	h.keys("j", "k")
	if v := h.a.curPrompt().Input.Value(); v != "jk" {
		t.Errorf("j and k typed %q", v)
	}
}
