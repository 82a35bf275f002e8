package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Prompt asks for one line of text, on the footer line or (Boxed) in a
// centred box. Enter checks the text with the Validate function, if any,
// and runs OnDone; esc runs OnCancel.
type Prompt struct {
	ID    string // what the answer is for (tests and goldens name it)
	Title string
	Hint  string
	Err   string // shown under the input, e.g. ParseTarget's error
	// Lines are shown under the input in the box (e.g. suggestions).
	Lines []string
	// Boxed draws the prompt as a centred box instead of the footer line.
	Boxed bool
	Input textinput.Model
	Keys  KeyMap
	st    *styles.Styles

	validate func(string) string
	done     func(string) tea.Cmd
	cancel   func() tea.Cmd
}

// NewPrompt returns a focused prompt with an optional suggested value.
func NewPrompt(st *styles.Styles, id, title, placeholder, value string) *Prompt {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.CharLimit = 512
	ti.Prompt = "› "
	ti.PromptStyle = st.ItemSel
	ti.PlaceholderStyle = st.Dim
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Focus()
	return &Prompt{ID: id, Title: title, Input: ti, Keys: DefaultKeyMap(), st: st}
}

// Validate sets a check of the accepted text: a non-empty answer is shown
// as the prompt's error and keeps it open.
func (p *Prompt) Validate(fn func(v string) (why string)) *Prompt { p.validate = fn; return p }

// OnDone sets what the accepted text (trimmed) runs.
func (p *Prompt) OnDone(fn func(v string) tea.Cmd) *Prompt { p.done = fn; return p }

// OnCancel sets what esc runs.
func (p *Prompt) OnCancel(fn func() tea.Cmd) *Prompt { p.cancel = fn; return p }

// Update edits the text; only the enter key accepts and only the esc key
// cancels. Typed runes are always text: bubbletea delivers a typed word as
// one KeyRunes message, and the words "enter" or "end" must not accept the
// prompt or move the cursor, so each rune is inserted on its own. The
// mouse is ignored.
func (p *Prompt) Update(msg tea.Msg) (bool, tea.Cmd) {
	var k tea.KeyMsg
	switch m := msg.(type) {
	case tea.KeyMsg:
		k = m
	case tea.MouseMsg:
		return false, nil
	default:
		var cmd tea.Cmd
		p.Input, cmd = p.Input.Update(msg)
		return false, cmd
	}
	switch {
	case matches(k, p.Keys.Accept):
		v := strings.TrimSpace(p.Input.Value())
		if p.validate != nil {
			if why := p.validate(v); why != "" {
				p.Err = why
				return false, nil
			}
		}
		if p.done == nil {
			return true, nil
		}
		return true, p.done(v)
	case matches(k, p.Keys.Cancel):
		return true, run(p.cancel)
	}
	var cmds []tea.Cmd
	if k.Type == tea.KeyRunes && !k.Alt && !k.Paste && len(k.Runes) > 1 {
		for _, r := range k.Runes {
			var cmd tea.Cmd
			p.Input, cmd = p.Input.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			cmds = append(cmds, cmd)
		}
	} else {
		var cmd tea.Cmd
		p.Input, cmd = p.Input.Update(k)
		cmds = append(cmds, cmd)
	}
	p.Err = ""
	return false, tea.Batch(cmds...)
}

// View draws the box of a Boxed prompt; "" for one on the footer line.
func (p *Prompt) View(width, height int) string {
	if !p.Boxed {
		return ""
	}
	return p.Box(width, height)
}

// Footer is the prompt itself on one line (shown over a toast), or for a
// boxed prompt the dialog keys.
func (p *Prompt) Footer(width int) (string, bool) {
	if p.Boxed {
		return keyHint(p.st, width, textKeys{p.Keys}), false
	}
	return " " + p.Line(width-1), true
}

// textKeys are the keys a prompt hints: enter and esc (every other key,
// j and k too, edits the text).
type textKeys struct{ KeyMap }

// ShortHelp implements help.KeyMap.
func (k textKeys) ShortHelp() []key.Binding { return []key.Binding{k.Accept, k.Cancel} }

// FullHelp implements help.KeyMap.
func (k textKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Inline reports whether the prompt is on the footer line.
func (p *Prompt) Inline() bool { return !p.Boxed }

// Line renders the prompt on one line (for the footer).
func (p Prompt) Line(width int) string {
	t := p.st.DialogTitle.Render(p.Title + " ")
	p.Input.Width = max(width-ansi.StringWidth(t)-4, 8)
	out := t + p.Input.View()
	if p.Err != "" {
		out += "  " + p.st.Error.Render(p.Err)
	}
	return ansi.Truncate(out, width, "…")
}

// Box renders the prompt as a centred dialog box within width x height
// cells.
func (p Prompt) Box(width, height int) string {
	inner := innerWidth(width, 72)
	p.Input.Width = max(inner-4-ansi.StringWidth(p.Input.Prompt)-1, 4)
	body := []string{p.Input.View()}
	if p.Err != "" {
		body = append(body, "")
		body = append(body, wrapStyled(p.st.Error, p.Err, inner-4)...)
	}
	if len(p.Lines) > 0 {
		body = append(body, "")
		body = append(body, p.Lines...)
	}
	return frame(p.st, width, height, 72, p.Title, body, 0, p.Hint)
}
