package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrWouldOverwrite is returned by CheckOutput when writing the export
// would replace the session it is made from, or another session file.
var ErrWouldOverwrite = errors.New("export: refusing to overwrite")

// CheckOutput says whether an export of the session file input may be
// written to out: not over input itself (by any name: the same file, a
// link to it) and not over an existing file that is a netspecter-tui
// session (a case someone would lose). Any other existing file may be
// replaced. The error wraps ErrWouldOverwrite and says how to go on.
func CheckOutput(out, input string) error {
	ost, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export: cannot check %s: %w", out, err)
	}
	if ist, err := os.Stat(input); err == nil && os.SameFile(ost, ist) {
		return fmt.Errorf("%w %s: it is the session being exported; give another -o FILE (or --force)", ErrWouldOverwrite, out)
	}
	if ost.Mode().IsRegular() && IsSessionFile(out) {
		return fmt.Errorf("%w %s: it is a netspecter-tui session file; give another -o FILE (or --force)", ErrWouldOverwrite, out)
	}
	return nil
}

// sniffBytes is how much of a file IsSessionFile reads: the session
// header ("version", "nodes") comes first in every file this tool writes.
const sniffBytes = 64 << 10

// IsSessionFile reports whether path looks like a session file: a JSON
// object whose top level has both "version" and "nodes" within its first
// 64 KiB. It reads no more than that, so it is cheap on a large case.
func IsSessionFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, sniffBytes))
	if err != nil {
		return false
	}
	return looksLikeSession(head)
}

func looksLikeSession(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	version, nodes := false, false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := t.(string)
		switch key {
		case "version":
			version = true
		case "nodes":
			nodes = true
		}
		if version && nodes {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false // the value runs past what was read
		}
	}
	return false
}
