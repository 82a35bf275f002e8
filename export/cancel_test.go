package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
)

// TestWriteFileCancelled cancels exports of a 30,000-node session once
// their temporary file exists: each returns the context's error at once
// and leaves neither the temporary file nor the output behind.
func TestWriteFileCancelled(t *testing.T) {
	s := sessiongen.Build(sessiongen.DefaultOptions(30000))
	for _, format := range []string{"csv", "md", "stix", "json", "dot"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "case."+format)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelledAt time.Time
			go func() {
				for ctx.Err() == nil {
					if m, _ := filepath.Glob(filepath.Join(dir, ".case."+format+".tmp-*")); len(m) > 0 {
						cancelledAt = time.Now()
						cancel()
						return
					}
					time.Sleep(100 * time.Microsecond)
				}
			}()
			err := WriteFileContext(ctx, out, format, s, fixedAt)
			returned := time.Now()
			if err == nil {
				t.Skip("the export finished before the cancel reached it")
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if d := returned.Sub(cancelledAt); d > time.Second {
				t.Errorf("returned %v after the cancel", d)
			}
			entries, _ := os.ReadDir(dir)
			var left []string
			for _, e := range entries {
				left = append(left, e.Name())
			}
			if len(left) > 0 {
				t.Errorf("left behind: %s", strings.Join(left, ", "))
			}
		})
	}
}

// TestWriteContextStopsStreaming: a cancelled stream stops writing.
func TestWriteContextStopsStreaming(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf strings.Builder
	if err := WriteContext(ctx, &buf, "csv", demoSession(), fixedAt); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes after the cancel", buf.Len())
	}
}
