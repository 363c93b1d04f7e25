// Copyright 2026 The go-zeromq Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package zmq4

import "sync"

// defaultHWM is libzmq's default ZMQ_SNDHWM: the number of messages queued for one
// peer before further messages to it are dropped.
const defaultHWM = 1000

// connQueue holds the messages not yet sent to one peer; its run goroutine is the
// only one writing to the connection, so a peer that does not read blocks only its
// own queue, which stops at a high-water mark.
type connQueue struct {
	conn *Conn

	mu      sync.Mutex
	cond    *sync.Cond
	q       []Msg
	size    int64 // bytes of the frames in q
	stopped bool
	dropped int // messages dropped at the high-water mark
}

func newConnQueue(conn *Conn) *connQueue {
	q := &connQueue{conn: conn}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push queues msg unless hwm messages (when hwm > 0) or maxBytes bytes (when
// maxBytes > 0) are already waiting, in which case it is dropped. A message larger than
// maxBytes is still queued when nothing else waits.
func (q *connQueue) push(msg Msg, hwm int, maxBytes int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return
	}
	size := msgSize(msg)
	if hwm > 0 && len(q.q) >= hwm || maxBytes > 0 && len(q.q) > 0 && q.size+size > maxBytes {
		q.dropped++
		return
	}
	q.q = append(q.q, msg)
	q.size += size
	q.cond.Signal()
}

func msgSize(msg Msg) int64 {
	var n int64
	for _, f := range msg.Frames {
		n += int64(len(f))
	}
	return n
}

func (q *connQueue) stop() {
	q.mu.Lock()
	q.stopped = true
	q.q, q.size = nil, 0
	q.cond.Signal()
	q.mu.Unlock()
}

func (q *connQueue) run() {
	for {
		q.mu.Lock()
		for len(q.q) == 0 && !q.stopped {
			q.cond.Wait()
		}
		if q.stopped {
			q.mu.Unlock()
			return
		}
		msg := q.q[0]
		q.q[0] = Msg{}
		q.q = q.q[1:]
		q.size -= msgSize(msg)
		q.mu.Unlock()
		if err := q.conn.SendMsg(msg); err != nil {
			// The connection is gone or broken: the reaper removes it.
			q.stop()
			return
		}
	}
}
