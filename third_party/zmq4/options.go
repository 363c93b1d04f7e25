// Copyright 2018 The go-zeromq Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package zmq4

import (
	"log"
	"time"
)

// Option configures some aspect of a ZeroMQ socket.
// (e.g. SocketIdentity, Security, ...)
type Option func(s *socket)

// WithID configures a ZeroMQ socket identity.
func WithID(id SocketIdentity) Option {
	return func(s *socket) {
		s.id = id
	}
}

// WithSecurity configures a ZeroMQ socket to use the given security mechanism.
// If the security mechanims is nil, the NULL mechanism is used.
func WithSecurity(sec Security) Option {
	return func(s *socket) {
		s.sec = sec
	}
}

// WithDialerRetry configures the time to wait before two failed attempts
// at dialing an endpoint.
func WithDialerRetry(retry time.Duration) Option {
	return func(s *socket) {
		s.retry = retry
	}
}

// WithDialerTimeout sets the maximum amount of time a dial will wait
// for a connect to complete.
func WithDialerTimeout(timeout time.Duration) Option {
	return func(s *socket) {
		s.dialer.Timeout = timeout
	}
}

// WithTimeout sets the timeout value for socket operations
func WithTimeout(timeout time.Duration) Option {
	return func(s *socket) {
		s.timeout = timeout
	}
}

// WithLogger sets a dedicated log.Logger for the socket.
func WithLogger(msg *log.Logger) Option {
	return func(s *socket) {
		s.log = msg
	}
}

// WithDialerMaxRetries configures the maximum number of retries
// when dialing an endpoint (-1 means infinite retries).
func WithDialerMaxRetries(maxRetries int) Option {
	return func(s *socket) {
		s.maxRetries = maxRetries
	}
}

// WithAutomaticReconnect allows to configure a socket to automatically
// reconnect on connection loss.
func WithAutomaticReconnect(automaticReconnect bool) Option {
	return func(s *socket) {
		s.autoReconnect = automaticReconnect
	}
}

// WithHandshakeTimeout sets how long a new connection may take to complete the ZMTP
// handshake (greeting, security, READY) before it is dropped, as libzmq's
// ZMQ_HANDSHAKE_IVL (default 30s). Zero means no limit.
func WithHandshakeTimeout(timeout time.Duration) Option {
	return func(s *socket) {
		s.handshakeTimeout = timeout
	}
}

// WithMaxMessageSize limits the size of incoming messages (all frames of a message
// together), as libzmq's ZMQ_MAXMSGSIZE: a peer sending a larger one is disconnected
// before its body is read. Zero or less means no limit, the default.
func WithMaxMessageSize(size int64) Option {
	return func(s *socket) {
		s.maxMsgSize = size
	}
}

// WithQueueBytes bounds, in bytes, the messages a PUB or REP socket queues for one
// peer that does not read them, besides the high-water mark's count of messages
// (which cannot bound memory when messages are large): further messages to that peer
// are dropped. A single message larger than the bound is still sent when nothing else
// waits. Zero or less means no limit, the default.
func WithQueueBytes(size int64) Option {
	return func(s *socket) {
		s.queueBytes = size
	}
}

/*
// TODO(sbinet)

func WithIOThreads(threads int) Option {
	return nil
}

func WithSendBufferSize(size int) Option {
	return nil
}

func WithRecvBufferSize(size int) Option {
	return nil
}
*/

const (
	OptionSubscribe   = "SUBSCRIBE"
	OptionUnsubscribe = "UNSUBSCRIBE"
	OptionHWM         = "HWM"
)
