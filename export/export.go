package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// Formats lists the export formats, in the order they are offered.
var Formats = []string{"md", "json", "csv", "dot", "mermaid", "stix"}

// ErrUnknownFormat is wrapped by Write and WriteFile when the format is not
// one of Formats.
var ErrUnknownFormat = errors.New("export: unknown format")

// Options tune an export.
type Options struct {
	// Now is the generation time written into the report; tests fix it.
	// The zero value means time.Now().
	Now time.Time
}

type writerFunc func(w io.Writer, s *pivot.Session, o Options) error

func writerFor(format string) (writerFunc, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "md", "markdown":
		return writeMarkdown, nil
	case "json":
		return writeJSON, nil
	case "csv":
		return writeCSV, nil
	case "dot", "graphviz":
		return writeDOT, nil
	case "mermaid", "mmd":
		return writeMermaid, nil
	case "stix", "stix2", "stix2.1":
		return writeSTIX, nil
	}
	return nil, fmt.Errorf("%w %q: choose one of %s", ErrUnknownFormat, format, strings.Join(Formats, ", "))
}

// Write writes session s to w in the given format (one of Formats).
func Write(w io.Writer, format string, s *pivot.Session, o Options) error {
	fn, err := writerFor(format)
	if err != nil {
		return err
	}
	if s == nil {
		return errors.New("export: no session to export; open or start one first")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	// Render into memory first: a failed export never leaves half a file
	// on a stream that is later mistaken for a whole one.
	var buf bytes.Buffer
	if err := fn(&buf, s, o); err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteFile writes session s to path in the given format. The file is
// written atomically: a temporary file in the same directory is written,
// synced and renamed over path, so a crash never leaves a torn export.
func WriteFile(path, format string, s *pivot.Session, o Options) (err error) {
	if _, err := writerFor(format); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: cannot create a file in %s (does the folder exist and is it writable?): %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = Write(f, format, s, o); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("export: syncing %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("export: closing %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("export: renaming %s to %s: %w", tmp, path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: make the rename durable
		_ = d.Close()
	}
	return nil
}
