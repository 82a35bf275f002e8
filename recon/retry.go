package recon

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Retry policy: attempts in all, the first backoff, and the cap of one wait.
var (
	RetryAttempts = 3
	RetryBase     = 100 * time.Millisecond
	RetryMax      = 2 * time.Second
)

// Retry calls fn until it succeeds, reports its failure as not retryable,
// or RetryAttempts calls were made. Between calls it waits a random time
// between half and all of RetryBase·2^n (capped at RetryMax): exponential
// backoff with jitter, so that clients failing at once do not come back at
// once; it does not wait
// when the wait would outlast ctx, and it honours a Retry-After the service
// gave (env.Sources.Backoff) through the caller's own Sources.Wait. fn
// decides what is retryable: a 5xx or a timeout is; a 4xx, a refusal by the
// guarded dialer or a rate limit is not. The last error is returned, with
// the number of attempts when there was more than one.
func Retry(ctx context.Context, env *Env, svc string, fn func() (retryable bool, err error)) error {
	attempts := max(RetryAttempts, 1)
	var err error
	for i := range attempts {
		var retryable bool
		retryable, err = fn()
		if err == nil {
			return nil
		}
		if !retryable || i == attempts-1 || ctx.Err() != nil {
			if i > 0 {
				return fmt.Errorf("%w (%s: %d attempts)", err, svc, i+1)
			}
			return err
		}
		wait := backoff(i)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("%w (%s: %d attempts; no time left to retry)", err, svc, i+1)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (%s: %d attempts)", err, svc, i+1)
		case <-t.C:
		}
	}
	return err
}

// backoff is the jittered wait after failed attempt i (0-based).
func backoff(i int) time.Duration {
	ceil := RetryBase << min(i, 20)
	if ceil <= 0 || ceil > RetryMax {
		ceil = RetryMax
	}
	return ceil/2 + time.Duration(rand.Int64N(int64(ceil/2)+1))
}
