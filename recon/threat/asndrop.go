package threat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxASNDrop bounds what LoadASNDrop reads (the real list is about 50 KB).
const MaxASNDrop = 16 << 20

// ErrASNDrop is wrapped by LoadASNDrop errors.
var ErrASNDrop = errors.New("threat: malformed ASN-DROP list")

// LoadASNDrop parses Spamhaus ASN-DROP in its JSON-lines form
// (https://www.spamhaus.org/drop/asndrop.json): one
// {"asn":..,"rir":..,"domain":..,"cc":..,"asname":..} per line, ending with
// a {"type":"metadata",...} line, which is skipped. It returns ASN → AS name
// (the domain when the name is empty). It reads at most MaxASNDrop bytes.
func LoadASNDrop(r io.Reader) (map[uint32]string, error) {
	lr := &io.LimitedReader{R: r, N: MaxASNDrop + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	out := map[uint32]string{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e struct {
			Type   string  `json:"type"`
			ASN    *uint32 `json:"asn"`
			ASName string  `json:"asname"`
			Domain string  `json:"domain"`
		}
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v (is this asndrop.json?)", ErrASNDrop, line, err)
		}
		if e.Type == "metadata" {
			continue
		}
		if e.ASN == nil {
			return nil, fmt.Errorf("%w: line %d has no \"asn\"", ErrASNDrop, line)
		}
		name := e.ASName
		if name == "" {
			name = e.Domain
		}
		out[*e.ASN] = name
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: after line %d: %v", ErrASNDrop, line, err)
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrASNDrop, MaxASNDrop)
	}
	return out, nil
}
