//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package pivot

import "os"

// LockSupported reports whether LockFile really locks on this OS: not
// here (no flock), so two workbenches can open one session; the last save
// wins, as before locking existed.
const LockSupported = false

func flock(*os.File) (bool, error) { return false, nil }
