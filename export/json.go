package export

import (
	"io"

	"github.com/netspecter/netspecter-tui/pivot"
)

// writeJSON writes the session file itself (pivot.Marshal), so an export
// can be reopened with pivot.Load. Control, bidi and invisible characters
// inside strings are written as \u escapes (safeJSON): the values a reader
// decodes are the stored ones, the bytes are safe to cat.
func writeJSON(w io.Writer, s *pivot.Session, _ Options) error {
	b, err := pivot.Marshal(s)
	if err != nil {
		return err
	}
	_, err = w.Write(safeJSON(b))
	return err
}
