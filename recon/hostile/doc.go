// Package hostile holds the end-to-end tests of netspecter-tui against
// hostile input and faults: a lab world (testdata/lab/hostile.json) whose
// every network string carries terminal escapes, huge and endless answers,
// redirect loops, stalled handshakes, garbage DNS, an IDN homograph and names
// that point at the analyst's own network; API rate limits; injected drops,
// SERVFAILs and jitter; and API keys that must never leak.
//
// The package has no code of its own: only tests, run by `go test ./...`.
package hostile
