//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pivot

import (
	"errors"
	"os"
	"syscall"
)

// LockSupported reports whether LockFile really locks on this OS.
const LockSupported = true

// flock takes an exclusive flock on f without waiting; held is true when
// another open file holds it.
func flock(f *os.File) (held bool, err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
