package truth

import (
	"context"
	"testing"
	"time"
)

// TestTruth runs every world of testdata/lab/truth and requires every
// expected cluster, no false cluster and at least 95 % of the verdicts.
func TestTruth(t *testing.T) {
	worlds, err := Worlds("../../testdata/lab/truth")
	if err != nil || len(worlds) == 0 {
		t.Fatalf("no truth worlds: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var total Result
	for _, w := range worlds {
		r, _, err := Check(ctx, w)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		t.Logf("%s: %s", w, r)
		total.Add(r)
	}
	for _, p := range total.Problems {
		t.Log(p)
	}
	t.Logf("TOTAL %s", total)
	if !total.OK() {
		t.Errorf("below the bar (100 %% of clusters, 0 false, ≥ 95 %% verdicts): %s", total)
	}
}
