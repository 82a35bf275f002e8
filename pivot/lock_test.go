package pivot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockFile(t *testing.T) {
	if !LockSupported {
		t.Skip("no flock on this OS")
	}
	path := filepath.Join(t.TempDir(), "case.json")
	first, err := LockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A second opener (another workbench; flock locks conflict between
	// open files even in one process) is refused and told who holds it.
	_, err = LockFile(path)
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("second lock: %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	if !strings.Contains(err.Error(), "pid ") {
		t.Errorf("message %q does not name the holder", err)
	}
	// The lock outlives saves, which replace the session file by rename.
	s := NewSession(time.Now())
	if err := Save(s, path); err != nil {
		t.Fatal(err)
	}
	if err := Save(s, path); err != nil {
		t.Fatal(err)
	}
	if _, err := LockFile(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("after two saves the lock is gone: %v", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockFile(path)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	again.Release()
	again.Release() // twice is fine
	var none *FileLock
	none.Release()
}
