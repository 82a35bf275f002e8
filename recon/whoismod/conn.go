package whoismod

import (
	"context"
	"io"
	"net"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// ctxDialer adapts recon.DialFunc to likexian/whois's proxy.Dialer (which
// has no context): it dials with ctx and hands out connections whose reads
// stop after max bytes and whose deadlines never pass ctx's.
type ctxDialer struct {
	ctx      context.Context
	dial     recon.DialFunc
	max      int64
	deadline time.Time

	mu   sync.Mutex
	last *boundedConn
}

// Dial implements proxy.Dialer.
func (d *ctxDialer) Dial(network, addr string) (net.Conn, error) {
	c, err := d.dial(d.ctx, network, addr)
	if err != nil {
		return nil, err
	}
	bc := &boundedConn{Conn: c, remaining: d.max, deadline: d.deadline, ctx: d.ctx}
	_ = c.SetDeadline(d.deadline)
	// Cancelling ctx unblocks a pending read or write at once.
	bc.stop = context.AfterFunc(d.ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
	d.mu.Lock()
	d.last = bc
	d.mu.Unlock()
	return bc, nil
}

// truncated reports whether the last connection's answer was cut at max bytes.
func (d *ctxDialer) truncated() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last != nil && d.last.cut()
}

// boundedConn is a net.Conn whose reads end (io.EOF) after a byte budget and
// whose deadlines are clamped to a hard deadline. likexian/whois reads to
// EOF, so this is what bounds a WHOIS answer.
type boundedConn struct {
	net.Conn
	ctx      context.Context
	deadline time.Time
	stop     func() bool

	mu        sync.Mutex
	remaining int64
	over      bool
}

// Read reads at most the remaining budget, then reports io.EOF.
func (c *boundedConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	rem := c.remaining
	if rem <= 0 {
		c.over = true
		c.mu.Unlock()
		return 0, io.EOF
	}
	c.mu.Unlock()
	if int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.remaining -= int64(n)
	c.mu.Unlock()
	return n, err
}

func (c *boundedConn) cut() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.over
}

func (c *boundedConn) clamp(t time.Time) time.Time {
	if c.ctx != nil && c.ctx.Err() != nil {
		return time.Unix(1, 0) // cancelled: every I/O fails now
	}
	if !c.deadline.IsZero() && (t.IsZero() || t.After(c.deadline)) {
		return c.deadline
	}
	return t
}

// SetDeadline sets a deadline no later than the hard one.
func (c *boundedConn) SetDeadline(t time.Time) error { return c.Conn.SetDeadline(c.clamp(t)) }

// SetReadDeadline sets a read deadline no later than the hard one.
func (c *boundedConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.clamp(t)) }

// SetWriteDeadline sets a write deadline no later than the hard one.
func (c *boundedConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t))
}

// Close releases the cancellation hook and closes the connection.
func (c *boundedConn) Close() error {
	if c.stop != nil {
		c.stop()
	}
	return c.Conn.Close()
}
