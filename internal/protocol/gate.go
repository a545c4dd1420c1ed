package protocol

import (
	"sync"
	"time"
)

// gate counts the requests in flight and lets trim hold new ones back
// until none is in flight, for at most maxPause. The pause is bounded on
// purpose: a request in flight may be waiting for a request not yet
// started (an alternateMobile create polls until its user's mobile is
// created), so waiting without a bound could hold both until the
// operation's timeout. A trim that times out lets everything go and is
// tried again later.
type gate struct {
	mu       sync.Mutex
	inflight int
	// draining is set while a trim holds new requests back; resume is
	// closed when it ends, idle when inflight reaches zero during it.
	draining bool
	resume   chan struct{}
	idle     chan struct{}
	idleSent bool
}

// enter counts a request in flight, first waiting out a trim.
func (g *gate) enter() {
	g.mu.Lock()
	for g.draining {
		resume := g.resume
		g.mu.Unlock()
		<-resume
		g.mu.Lock()
	}
	g.inflight++
	g.mu.Unlock()
}

// leave ends a request.
func (g *gate) leave() {
	g.mu.Lock()
	g.inflight--
	g.signalIdle()
	g.mu.Unlock()
}

// signalIdle closes idle once no request is in flight during a trim; the
// caller holds mu.
func (g *gate) signalIdle() {
	if g.draining && g.inflight == 0 && !g.idleSent {
		g.idleSent = true
		close(g.idle)
	}
}

// whenIdle holds new requests back, waits until none is in flight, runs
// fn with none in flight and none starting, and lets them go; after
// maxPause without reaching zero it lets them go without running fn and
// returns false.
func (g *gate) whenIdle(maxPause time.Duration, fn func()) bool {
	g.mu.Lock()
	if g.draining {
		g.mu.Unlock()
		return false
	}
	g.draining, g.idleSent = true, false
	g.resume, g.idle = make(chan struct{}), make(chan struct{})
	idle := g.idle
	g.signalIdle()
	g.mu.Unlock()

	timer := time.NewTimer(maxPause)
	defer timer.Stop()
	ran := false
	select {
	case <-idle:
		fn()
		ran = true
	case <-timer.C:
	}

	g.mu.Lock()
	g.draining = false
	close(g.resume)
	g.mu.Unlock()
	return ran
}
