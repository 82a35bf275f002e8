package export

import (
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// TestGraphShowsClusterFalsePositive: a link one member marked false
// positive, still shared by the others, says so in the dot and mermaid
// cluster captions.
func TestGraphShowsClusterFalsePositive(t *testing.T) {
	s := demoSession()
	cs := s.Clusters()
	var c pivot.Cluster
	for _, x := range cs {
		if len(x.Members) >= 3 {
			c = x
		}
	}
	if len(c.Members) < 3 {
		t.Fatalf("no cluster of three in the demo session: %+v", cs)
	}
	var link string
	for _, sh := range c.Shared {
		if strings.HasPrefix(sh, "ip:") {
			link = sh
		}
	}
	member := c.Members[len(c.Members)-1]
	x, err := newIndex(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := x.entityByValue(member)
	s.MarkFalsePositive(s.NodesOf(e.Key)[0], pivot.ClusterFalsePositive(link), "shared hosting", time.Now())
	for _, f := range []string{"dot", "mermaid"} {
		out := string(render(t, f, s))
		if !strings.Contains(out, "false positive for "+member) {
			t.Errorf("%s: no mark on %s for %s:\n%s", f, link, member, out)
		}
	}
}
