package export

import (
	"io"

	"github.com/netspecter/netspecter-tui/pivot"
)

// writeJSON writes the session file itself (pivot.Marshal), so an export
// can be reopened with pivot.Load.
func writeJSON(w io.Writer, s *pivot.Session, _ Options) error {
	b, err := pivot.Marshal(s)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
