package pivot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked is wrapped by LockFile's error when another process holds the
// session's lock (another workbench has the session open).
var ErrLocked = errors.New("pivot: the session is open in another netspecter-tui")

// LockedError says which process holds a session's lock.
type LockedError struct {
	Path string // the session file
	PID  int    // the holder's process id, 0 when unknown
}

// Error implements error.
func (e *LockedError) Error() string {
	who := "another netspecter-tui"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("%s is open in %s", e.Path, who)
}

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Unwrap() error { return ErrLocked }

// FileLock is an advisory lock on a session file, held until Release.
type FileLock struct {
	f *os.File
}

// LockPath is the lock file of a session file: ".<name>.lock" beside it.
// The lock is taken on this file, not on the session itself, because Save
// replaces the session by rename: a lock on the old inode would not stop a
// second workbench from opening the new one.
func LockPath(session string) string {
	return filepath.Join(filepath.Dir(session), "."+filepath.Base(session)+".lock")
}

// LockFile takes the advisory lock of the session file path (exclusive,
// not waiting): a *LockedError wrapping ErrLocked when another process
// holds it. The lock file holds the holder's pid, for that message. It is
// left in place after Release (removing it would race another opener).
// Where the OS has no flock (LockSupported false), LockFile always
// succeeds and locks nothing.
func LockFile(path string) (*FileLock, error) {
	f, err := os.OpenFile(LockPath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pivot: locking the session: %w", err)
	}
	held, err := flock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("pivot: locking the session: %w", err)
	}
	if held {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:n])))
		return nil, &LockedError{Path: path, PID: pid}
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &FileLock{f: f}, nil
}

// Release drops the lock. It is safe to call on nil and more than once.
func (l *FileLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	return err
}
