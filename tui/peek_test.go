package tui

import (
	"fmt"
	"os"
	"testing"
)

func TestPeek(t *testing.T) {
	if os.Getenv("PEEK") == "" {
		t.Skip()
	}
	h := newHarness(t, Options{Target: "nova-parcels.com", Lab: "demo world (lab)"})
	fmt.Println(h.a.View())
	h.keys("tab")
	for i := 0; i < 30; i++ {
		h.keys("j")
	}
	fmt.Println(h.a.View())
	h.keys("tab", "a", "c")
	fmt.Println(h.a.View())
	h.keys("?")
	fmt.Println(h.a.View())
}
