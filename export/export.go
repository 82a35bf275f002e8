package export

import (
	"bufio"
	"context"
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

	ctx context.Context // set by WriteContext; checked by the exporters' loops
}

// cancelled reports whether the export was cancelled; the exporters call it
// in their loops (cheap: a select on a closed-or-not channel).
func (o Options) cancelled() error {
	if o.ctx == nil {
		return nil
	}
	return o.ctx.Err()
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

// Write writes session s to w in the given format (one of Formats). It is
// WriteContext without a deadline.
func Write(w io.Writer, format string, s *pivot.Session, o Options) error {
	return WriteContext(context.Background(), w, format, s, o)
}

// ctxWriter stops a streaming export at its next write once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// WriteContext writes session s to w in the given format (one of Formats),
// streaming: memory stays bounded by the session, not by the output, so a
// failed or cancelled export may have written part of its output to w (use
// WriteFileContext for a file that is either whole or absent).
//
// It returns as soon as ctx is done, with ctx's error; the rendering
// goroutine stops at its next check (a buffer flush or a loop step).
func WriteContext(ctx context.Context, w io.Writer, format string, s *pivot.Session, o Options) error {
	_, err := writeContext(ctx, w, format, s, o)
	return err
}

// writeContext is WriteContext; finished is closed when the rendering
// goroutine has stopped writing to w (later than the return on a cancel).
func writeContext(ctx context.Context, w io.Writer, format string, s *pivot.Session, o Options) (finished <-chan struct{}, err error) {
	idle := make(chan struct{})
	close(idle)
	fn, err := writerFor(format)
	if err != nil {
		return idle, err
	}
	if s == nil {
		return idle, errors.New("export: no session to export; open or start one first")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	o.ctx = ctx
	if err := ctx.Err(); err != nil {
		return idle, err
	}
	done := make(chan error, 1)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		bw := bufio.NewWriterSize(ctxWriter{ctx, w}, 256<<10)
		err := fn(bw, s, o)
		if err == nil {
			err = bw.Flush()
		}
		done <- err
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		return stopped, ctx.Err()
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return stopped, cerr
		}
		return stopped, fmt.Errorf("export %s: %w", format, err)
	}
	return stopped, nil
}

// WriteFile writes session s to path in the given format. It is
// WriteFileContext without a deadline.
func WriteFile(path, format string, s *pivot.Session, o Options) error {
	return WriteFileContext(context.Background(), path, format, s, o)
}

// WriteFileContext writes session s to path in the given format,
// atomically: a temporary file in the same directory is written, synced and
// renamed over path, so a crash never leaves a torn export. When ctx is
// done first, the temporary file is removed before it returns ctx's error:
// an interrupted export leaves nothing behind and path as it was.
func WriteFileContext(ctx context.Context, path, format string, s *pivot.Session, o Options) (err error) {
	if _, err := writerFor(format); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: cannot create a file in %s (does the folder exist and is it writable?): %w", dir, err)
	}
	tmp := f.Name()
	finished := (<-chan struct{})(nil)
	defer func() {
		if err != nil {
			// On a cancel the rendering goroutine may still write to f:
			// the name goes now, the descriptor once it has stopped.
			_ = os.Remove(tmp)
			if finished == nil {
				_ = f.Close()
			} else {
				go func() { <-finished; _ = f.Close() }()
			}
		}
	}()
	if finished, err = writeContext(ctx, f, format, s, o); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("export: syncing %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("export: closing %s: %w", tmp, err)
	}
	if err = ctx.Err(); err != nil {
		return err
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
