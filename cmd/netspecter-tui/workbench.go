package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/export"
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/doctor"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui"
)

func cmdWorkbench(ctx context.Context, o options, pos []string, s streams) int {
	stderr := s.err
	if len(pos) > 1 {
		fmt.Fprintln(stderr, "usage: netspecter-tui [flags] [TARGET]")
		return exitUsage
	}
	target := ""
	if len(pos) == 1 {
		t, err := recon.ParseTarget(pos[0])
		if err != nil {
			return errorf(stderr, "%s", sanitize.Line(err.Error()))
		}
		target = t.Value
	}
	// One workbench writes a session file at a time: the first takes its
	// advisory lock; a second one opens it read-only, says so, and
	// autosaves elsewhere (its s asks for another path).
	readOnly := ""
	type opened struct {
		o   *pivot.Opening
		err error
	}
	var openc chan opened
	if o.session != "" {
		lock, err := pivot.LockFile(o.session)
		var le *pivot.LockedError
		switch {
		case errors.As(err, &le):
			readOnly = le.Error()
		case err != nil:
			// No lock file (a read-only folder?): go on unlocked; a save
			// there would fail and say so.
		}
		defer lock.Release()
		// The tree is read while the scanner (or the lab) is set up; the
		// reports decode while the workbench draws it (tui.Options.Opening).
		openc = make(chan opened, 1)
		release := holdGC(o.session)
		go func() {
			op, err := pivot.Open(o.session)
			if err != nil {
				release()
			} else {
				go func() { <-op.Done(); release() }()
			}
			openc <- opened{op, err}
		}()
	}
	w, err := setup(ctx, o, stderr)
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	defer w.close()
	env := w.scanner.Env()

	var (
		sess    *pivot.Session
		opening *pivot.Opening
	)
	if openc != nil {
		r := <-openc
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
		case r.err != nil:
			return reopenError(stderr, o.session, r.err)
		default:
			opening = r.o
		}
	}
	if opening == nil {
		sess = pivot.NewSession(env.Clock())
		if w.cfg.WindowDays > 0 {
			sess.Window = time.Duration(w.cfg.WindowDays) * 24 * time.Hour
		}
	}
	autosave := ""
	if o.session == "" || readOnly != "" {
		dir := stateDir()
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return errorf(stderr, "cannot create the autosave folder %s: %v (give --session FILE)", dir, err)
		}
		autosave = filepath.Join(dir, "autosave-"+time.Now().Format("20060102-150405")+".json")
	}
	conc := o.concurrency
	if conc <= 0 {
		conc = w.cfg.Concurrency
	}
	scanner := w.scanner
	// The headless commands never ask the terminal anything (package
	// noquery); the workbench asks for the background once, before it
	// takes the terminal, as lipgloss would have.
	lipgloss.SetHasDarkBackground(termenv.NewOutput(os.Stdout).HasDarkBackground())
	err = tui.Run(tui.Options{
		Scan: func(ctx context.Context, t recon.Target, only []string) *recon.Report {
			return scanner.Scan(ctx, t, recon.ScanOptions{Only: only})
		},
		ScanProgress: func(ctx context.Context, t recon.Target, only []string, progress func(tui.ScanUpdate)) *recon.Report {
			// Finished and Progress are serialised by the scanner: results
			// needs no lock; each update gets its own copy.
			results := map[string]*recon.ModuleResult{}
			return scanner.Scan(ctx, t, recon.ScanOptions{Only: only,
				Finished: func(id string, res recon.ModuleResult) { results[id] = &res },
				Progress: func(done, pending []string) {
					progress(tui.ScanUpdate{Done: done, Pending: pending, Results: maps.Clone(results)})
				},
			})
		},
		ModulesFor:   scanner.ModulesFor,
		Session:      sess,
		Opening:      opening,
		SessionPath:  o.session,
		AutosavePath: autosave,
		Target:       target,
		Now:          env.Clock,
		Concurrency:  conc,
		Sources:      env.Sources.Snapshot,
		Checks: func(ctx context.Context) []doctor.Check {
			var dirs []string
			if w.label == "" {
				dirs = geoDirs(o, w.cfg)
			}
			return doctor.Run(ctx, env, doctor.Options{GeoIPDirs: dirs})
		},
		KeysLoaded: env.Keys.Loaded(),
		ConfigPath: w.configPath,
		Export: func(format string, s *pivot.Session, path string) error {
			return export.WriteFile(path, format, s, export.Options{Now: env.Clock()})
		},
		Lab:        w.label,
		LabTargets: w.labTargets,

		ReadOnly: readOnly,
		Lock: func(path string) (func(), error) {
			l, err := pivot.LockFile(path)
			if err != nil {
				return nil, err
			}
			return func() { l.Release() }, nil
		},
	})
	var oe *tui.OpenError
	switch {
	case errors.As(err, &oe):
		return reopenError(stderr, o.session, oe.Err)
	case err != nil:
		return errorf(stderr, "%v", err)
	}
	return exitOK
}

// reopenError says that the session file could not be reopened.
func reopenError(stderr io.Writer, path string, err error) int {
	return errorf(stderr, "cannot reopen %s: %v\n(the file was not changed; give another --session path to start a new one)", path, err)
}

// holdGCUpTo is the largest session file whose opening holds the collector
// back (holdGC), and openMemoryLimit the soft memory limit meanwhile.
const (
	holdGCUpTo      = 128 << 20
	openMemoryLimit = 768 << 20
)

// holdGC keeps the garbage collector from running while the session file
// at path opens, up to a soft memory limit, and returns the function that
// restores the settings (call it once the reports are decoded; the
// workbench then returns the memory, see tui's clustersDueMsg). Reading
// bench300's 42 MB makes about 100 MB of short-lived garbage: collecting
// it as it came took a fifth of the CPU before the first frame, most of it
// on the second core the reports decode on. A file over holdGCUpTo, or a
// GOGC or GOMEMLIMIT the user set, leaves the settings alone.
func holdGC(path string) (release func()) {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > holdGCUpTo || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(openMemoryLimit)
	pct := debug.SetGCPercent(-1)
	var once sync.Once
	return func() {
		once.Do(func() {
			debug.SetGCPercent(pct)
			debug.SetMemoryLimit(limit)
		})
	}
}
