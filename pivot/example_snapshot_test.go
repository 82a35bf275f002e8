package pivot_test

import (
	"fmt"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// A goroutine other than the session's owner reads a snapshot (here it
// counts notes; a save calls pivot.Save(snap, path)), while the owner goes
// on changing the session. Nodes are looked up again after a change.
func ExampleSession_Snapshot() {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := pivot.NewSession(at)
	id := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID

	snap := s.Snapshot() // on the goroutine that owns s
	done := make(chan int)
	go func() { done <- len(snap.Node(id).Entity.Notes) }()

	s.AddNote(id, "same kit as case 42", at) // the owner goes on
	fmt.Println(<-done, len(s.Node(id).Entity.Notes))
	// Output: 0 1
}
