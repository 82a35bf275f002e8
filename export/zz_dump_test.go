package export

import (
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	if err := Write(os.Stdout, os.Getenv("DUMP"), demoSession(), fixedAt); err != nil {
		t.Fatal(err)
	}
}
