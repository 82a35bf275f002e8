package tui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// describeFile says what is at path, for "overwrite it?": "" when nothing
// is there (or it cannot be read), else "a netspecter-tui session" or
// "a file that is not a session".
func describeFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "a folder"
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	h := string(head[:n])
	if strings.HasPrefix(strings.TrimSpace(h), "{") && strings.Contains(h, `"version"`) && strings.Contains(h, `"nodes"`) {
		return "a netspecter-tui session"
	}
	return "a file that is not a session"
}

// shownPathWidth is the most cells a path takes in a question.
const shownPathWidth = 30

// shownPath is path as a question names it: a long one is cut at its
// start, so that the file's name and the question after it stay on an
// 80-column footer.
func shownPath(path string) string {
	p := sanitizeLine(path)
	if w := ansi.StringWidth(p); w > shownPathWidth {
		p = ansi.TruncateLeft(p, w-shownPathWidth+1, "…")
	}
	return p
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}

// saveAs saves the session to path, typed at the s prompt. Saving over
// this session's own file needs no question; over any other existing file
// (another session, or something that is not a session) the workbench asks
// first. A path another workbench holds (its lock) is refused. The new
// path becomes the session file: locked, autosaved to from now on.
func (a *App) saveAs(path string) tea.Cmd {
	own := a.o.ReadOnly == "" && samePath(path, a.o.SessionPath)
	if own {
		return a.saveTo(a.o.SessionPath, false)
	}
	release := func() {}
	if a.o.Lock != nil {
		r, err := a.o.Lock(path)
		var le *pivot.LockedError
		switch {
		case errors.As(err, &le):
			return a.toastTailCmd("not saved: "+sanitizeLine(le.Error()), "; choose another path (s)", true)
		case err != nil:
			return a.toastCmd("not saved: "+sanitizeLine(err.Error()), true)
		}
		release = r
	}
	commit := func() tea.Cmd {
		if a.file.release != nil {
			a.file.release() // the lock of the previous session file
		}
		a.file.release = release
		a.o.SessionPath, a.o.ReadOnly = path, ""
		a.file.savedRev = -1
		return a.saveTo(path, false)
	}
	what := describeFile(path)
	if what == "" {
		return commit()
	}
	text := shownPath(path) + " exists (" + what + "). Overwrite it with this session?"
	a.open(dialog.NewConfirm(a.st, func() string { return text }).OnConfirm(commit).OnCancel(func() tea.Cmd {
		release()
		return a.toastCmd("not saved: "+sanitizeLine(path)+" left as it was", false)
	}))
	return nil
}

// exportAs writes an export to path, asking first when a file is there.
func (a *App) exportAs(format, path string) tea.Cmd {
	what := describeFile(path)
	if what == "" {
		return a.exportTo(format, path)
	}
	if samePath(path, a.o.SessionPath) || samePath(path, a.o.AutosavePath) {
		return a.toastCmd("not exported: "+sanitizeLine(path)+" is this session's own file; choose another path", true)
	}
	text := shownPath(path) + " exists (" + what + "). Overwrite it with the " + format + " export?"
	a.open(dialog.NewConfirm(a.st, func() string { return text }).
		OnConfirm(func() tea.Cmd { return a.exportTo(format, path) }).
		OnCancel(func() tea.Cmd { return a.toastCmd("not exported: "+sanitizeLine(path)+" left as it was", false) }))
	return nil
}

// readOnlyNotice says, once at start, that the session is open read-only.
func (a *App) readOnlyNotice() tea.Cmd {
	if a.o.ReadOnly == "" {
		return nil
	}
	where := "nowhere (no autosave file)"
	if a.o.AutosavePath != "" {
		where = sanitizeLine(a.o.AutosavePath)
	}
	return a.toastCmd("read-only: "+sanitizeLine(a.o.ReadOnly)+"; changes autosave to "+where+"; s saves elsewhere", true)
}
