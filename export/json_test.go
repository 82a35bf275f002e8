package export

import (
	"bytes"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

func TestJSONRoundTrip(t *testing.T) {
	s := demoSession()
	out := render(t, "json", s)
	back, err := pivot.Unmarshal(out)
	if err != nil {
		t.Fatalf("pivot.Unmarshal cannot read the export: %v", err)
	}
	if back.Len() != s.Len() || len(back.Entities()) != len(s.Entities()) {
		t.Fatalf("read back %d nodes / %d entities, want %d / %d", back.Len(), len(back.Entities()), s.Len(), len(s.Entities()))
	}
	if again := render(t, "json", back); !bytes.Equal(out, again) {
		t.Fatal("export → Unmarshal → export is not stable")
	}
	e := back.Entity(pivot.KeyOf("domain", "nova-parcels.com"))
	if e == nil || e.Scan == nil || e.Verdict() != "red" {
		t.Fatalf("nova-parcels.com lost its scan or verdict: %+v", e)
	}
}
