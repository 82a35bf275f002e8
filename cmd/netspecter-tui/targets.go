package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// maxListLine bounds one line of a -l list.
const maxListLine = 64 << 10

// targetList streams the targets of the arguments and then of -l (a file,
// or - for stdin, read as lines arrive so a pipeline's first targets are
// scanned before it ends). Blank lines and # comments are skipped; a bad
// target is reported and skipped; a target given twice is scanned once.
// Read bad and err only after the channel is closed.
type targetList struct {
	bad   int   // targets rejected (each reported)
	err   error // the list could not be read
	count int   // targets sent
}

// stream sends the targets on the returned channel and closes it at the end
// of the input or when ctx is done. report prints one error line.
func (l *targetList) stream(ctx context.Context, args []string, list string, stdin io.Reader, report func(string)) <-chan recon.Target {
	ch := make(chan recon.Target)
	go func() {
		defer close(ch)
		seen := map[string]bool{}
		emit := func(where, s string) bool {
			t, err := recon.ParseTarget(s)
			if err != nil {
				l.bad++
				report(where + sanitize.Line(err.Error()))
				return true
			}
			key := string(t.Kind) + ":" + t.Value
			if seen[key] {
				return true
			}
			seen[key] = true
			select {
			case ch <- t:
				l.count++
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, a := range args {
			if !emit("", a) {
				return
			}
		}
		if list == "" {
			return
		}
		in, name := stdin, "stdin"
		if list != "-" {
			f, err := os.Open(list)
			if err != nil {
				l.err = fmt.Errorf("-l: %w", err)
				return
			}
			defer f.Close()
			in, name = f, filepath.Base(list)
		}
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 4096), maxListLine)
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if n == 1 {
				line = strings.TrimPrefix(line, "\ufeff") // a byte-order mark
			}
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !emit(fmt.Sprintf("%s line %d: ", sanitize.Line(name), n), line) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			l.err = fmt.Errorf("-l %s: reading line %d: %w (the rest of the list was not read)", sanitize.Line(name), n+1, err)
		}
	}()
	return ch
}

// atomicFile is an output file written to a temporary file beside it and
// renamed over it on commit, so a reader never sees a torn file and an
// existing file is only replaced by a complete one.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a file in %s (does the folder exist and is it writable?): %w", dir, err)
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit syncs the file and renames it into place.
func (a *atomicFile) commit() error {
	tmp := a.Name()
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Chmod(tmp, 0o644)
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", a.path, err)
	}
	if d, derr := os.Open(filepath.Dir(a.path)); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// abort removes the temporary file.
func (a *atomicFile) abort() {
	_ = a.Close()
	_ = os.Remove(a.Name())
}

// lockedWriter serialises writes from several goroutines (the list reader
// reports bad lines while the command writes its own messages).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
