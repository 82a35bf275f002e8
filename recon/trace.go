package recon

import (
	"context"
	"net"
	"sync"
	"time"
)

// TraceEvent is one round trip a module waited for: a DNS exchange, or on a
// TCP connection the time from the first byte written to the first byte of
// the answer (a TLS handshake flight, an HTTP request, a WHOIS query). The
// benchmarks use it to show a scan's critical path.
type TraceEvent struct {
	Module     string // module id ("" when not known)
	What       string // "dns A example.com", "tcp 127.0.0.1:43"
	Start, End time.Time
}

type moduleKey struct{}

// WithModule returns ctx labelled with a module id; the scanner labels each
// module's context, so Env.Trace can tell who asked.
func WithModule(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, moduleKey{}, id)
}

// ModuleOf returns the module id ctx is labelled with, or "".
func ModuleOf(ctx context.Context) string {
	id, _ := ctx.Value(moduleKey{}).(string)
	return id
}

func (e *Env) trace(ctx context.Context, what string, start time.Time) {
	if e.Trace != nil {
		e.Trace(TraceEvent{Module: ModuleOf(ctx), What: what, Start: start, End: time.Now()})
	}
}

// TraceDial wraps dial so that every round trip on its connections is
// reported to trace (see TraceEvent). It is for measurements only.
func TraceDial(dial DialFunc, trace func(TraceEvent)) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &tracedConn{Conn: c, module: ModuleOf(ctx), what: "tcp " + addr, trace: trace}, nil
	}
}

type tracedConn struct {
	net.Conn
	module, what string
	trace        func(TraceEvent)

	mu    sync.Mutex
	wrote time.Time // first write since the last read; zero if none
}

func (c *tracedConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	if c.wrote.IsZero() {
		c.wrote = time.Now()
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *tracedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.mu.Lock()
		start := c.wrote
		c.wrote = time.Time{}
		c.mu.Unlock()
		if !start.IsZero() {
			c.trace(TraceEvent{Module: c.module, What: c.what, Start: start, End: time.Now()})
		}
	}
	return n, err
}
