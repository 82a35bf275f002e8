// Package dialog has the small interactive pieces the workbench opens over
// its panes: a Prompt for one line of text (bubbles/textinput; on the
// footer line or, Boxed, in a centred box) with an inline error, a Picker
// of a few choices, a Checklist of several, an Info box that scrolls, and
// a yes/no Confirm question in the footer.
//
// Each implements Overlay: Update(msg) (done, cmd), View(width, height),
// Footer(width) and Inline(). The root holds one Overlay and asks it first
// for keys, the mouse, the frame and the footer, so which dialog wins is
// decided in one place.
//
// A dialog carries its next step. The constructor returns a pointer whose
// OnDone / OnPick / OnConfirm / OnCancel (and Picker.OnKey,
// Prompt.Validate) set closures that run when it closes; they capture the
// state the step needs, so the root keeps none:
//
//	p := dialog.NewPicker(st, "export-format", "Export the session as", formats).
//		OnPick(func(i int) tea.Cmd { return askPath(formats[i]) })
//
// The box drawing (Center, frame, WrapWords, TextWidth, BodyRows) fits any
// size down to the workbench's minimum; items and titles, which name
// values from the network, are sanitised again when drawn.
package dialog
