package tui

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
)

// Signals end the workbench like q does, so that the terminal is restored
// (alternate screen, mouse mode, cursor) and the session autosaved:
// SIGINT, SIGTERM, and SIGHUP (the terminal window closed, the SSH link
// dropped), whose default action would kill the process with the terminal
// left in the alternate screen and mouse mode, and the last changes unsaved.
var Signals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalMsg says the process received sig.
type signalMsg struct{ sig os.Signal }

// shutdownWait bounds how long Shutdown waits for a save or an export
// still writing its file.
const shutdownWait = 10 * time.Second

// Run starts the workbench full-screen with mouse support. It returns when
// the analyst quits or a signal (Signals) ends it; either way the terminal
// is restored and the session saved if it changed (see App.Shutdown).
func Run(o Options) error {
	a := New(o)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, Signals...)
	defer signal.Stop(sigs)
	return a.run(sigs, tea.WithAltScreen(), tea.WithMouseCellMotion())
}

// run runs the program until it quits, delivering the signals from sigs
// as messages, then shuts the App down.
func (a *App) run(sigs <-chan os.Signal, opts ...tea.ProgramOption) error {
	defer a.sched.cancel()
	// bubbletea's own handler would quit on SIGINT/SIGTERM without telling
	// the model; this one tells it, so the App decides (and saves).
	p := tea.NewProgram(a, append(opts, tea.WithoutSignalHandler())...)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case s := <-sigs:
			p.Send(signalMsg{s})
		case <-done:
		}
	}()
	_, err := p.Run() // restores the terminal before it returns
	close(done)
	wg.Wait()
	if serr := a.Shutdown(); serr != nil && err == nil {
		err = serr
	}
	if a.file.release != nil {
		a.file.release()
	}
	return err
}

// writeGate counts the goroutines writing a snapshot of the session to a
// file (a save, an export), so that Shutdown's last save is not overtaken
// by an older snapshot still being written. A command is dropped when the
// program quits before running it, so the count is taken when the
// goroutine starts, not when the command is made; once Shutdown closes the
// gate, no new write starts.
type writeGate struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

// start reports whether a write may begin; the caller then calls done.
func (g *writeGate) start() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.wg.Add(1)
	return true
}

func (g *writeGate) done() { g.wg.Done() }

// close stops new writes and returns a channel closed when the running ones end.
func (g *writeGate) close() <-chan struct{} {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	ch := make(chan struct{})
	go func() { g.wg.Wait(); close(ch) }()
	return ch
}

func (a *App) onSignal(m signalMsg) tea.Cmd {
	a.signalled = m.sig
	return a.quit()
}

// Shutdown finishes what the program left when it ended: it waits (at most
// shutdownWait) for a save or an export still writing its file, and saves
// the session — to the session file, or the autosave file when there is
// none or the session is open read-only — when it changed since the last
// save or a signal ended the program. Call it after the program has
// returned.
func (a *App) Shutdown() error {
	select {
	case <-a.file.writes.close():
	case <-time.After(shutdownWait):
		return nil // a save is stuck (a dead network file system?): do not race it
	}
	if a.opening() || a.reading.err != nil {
		return a.reading.err // read, not changed: nothing to save
	}
	path := a.homePath()
	if path == "" || len(a.s.Roots()) == 0 || (a.rev == a.file.savedRev && a.signalled == nil) {
		return nil
	}
	return pivot.Save(a.s, path)
}

// homePath is where autosaves go: the session file, or the autosave file
// when the session has none or is open read-only.
func (a *App) homePath() string {
	if a.o.SessionPath != "" && a.o.ReadOnly == "" {
		return a.o.SessionPath
	}
	return a.o.AutosavePath
}
