package recon_test

import (
	"fmt"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestListSome(t *testing.T) {
	tests := []struct {
		list []string
		n    int
		want string
	}{
		{nil, 3, ""},
		{[]string{"a"}, 3, "a"},
		{[]string{"a", "b", "c"}, 3, "a, b, c"},
		{[]string{"a", "b", "c", "d", "e"}, 3, "a, b, c and 2 more"},
		{[]string{"a", "b"}, 0, " and 2 more"},
		{[]string{"a", "b"}, -1, " and 2 more"}, // no panic
	}
	for _, tt := range tests {
		if got := recon.ListSome(tt.list, tt.n); got != tt.want {
			t.Errorf("ListSome(%q, %d) = %q, want %q", tt.list, tt.n, got, tt.want)
		}
	}
}

func ExampleListSome() {
	cves := []string{"CVE-2023-44487", "CVE-2024-6387", "CVE-2021-41773", "CVE-2021-42013", "CVE-2019-0211"}
	fmt.Println(recon.ListSome(cves, 3))
	// Output: CVE-2023-44487, CVE-2024-6387, CVE-2021-41773 and 2 more
}
