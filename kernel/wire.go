package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"time"
)

// ProtocolVersion is the Jupyter messaging protocol version this kernel speaks.
const ProtocolVersion = "5.4"

// delimiter separates the routing identities from the signed parts of a message.
var delimiter = []byte("<IDS|MSG>")

// Header is the header (and parent header) of a Jupyter message.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message as it travels on a socket: the routing identities, the
// four signed JSON parts and any binary buffers. Incoming messages keep the exact bytes of
// their header so replies can quote it as their parent header unchanged.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader json.RawMessage // "{}" when the message answers nothing
	Metadata     json.RawMessage // "{}" when empty
	Content      json.RawMessage
	Buffers      [][]byte

	rawHeader json.RawMessage // the header exactly as received
	signature []byte          // the signature as received (hex), for replay detection
	wireSize  int             // bytes of all its frames as received
}

// RawHeader is the header as it was received (or as it will be sent).
func (m *Message) RawHeader() json.RawMessage {
	if m.rawHeader != nil {
		return m.rawHeader
	}
	b, _ := json.Marshal(m.Header)
	return b
}

// Signer computes and checks message signatures (HMAC over header, parent header,
// metadata and content); a Signer with an empty key neither signs nor checks.
type Signer struct {
	key     []byte
	newHash func() hash.Hash
}

// NewSigner makes a Signer for a connection file's signature_scheme and key. Only the
// HMAC schemes are known: hmac-sha256 (Jupyter's default), hmac-sha512 and hmac-sha1.
func NewSigner(scheme, key string) (*Signer, error) {
	s := &Signer{key: []byte(key)}
	switch scheme {
	case "", "hmac-sha256":
		s.newHash = sha256.New
	case "hmac-sha512":
		s.newHash = sha512.New
	case "hmac-sha1":
		s.newHash = sha1.New
	default:
		return nil, fmt.Errorf("unsupported signature_scheme %q (want hmac-sha256)", scheme)
	}
	return s, nil
}

// Signs reports whether messages are signed (the key is not empty).
func (s *Signer) Signs() bool { return s != nil && len(s.key) > 0 }

// Sign returns the hex signature of the parts, or "" when there is no key.
func (s *Signer) Sign(parts ...[]byte) []byte {
	if s == nil || len(s.key) == 0 {
		return nil
	}
	mac := s.sum(parts)
	out := make([]byte, hex.EncodedLen(len(mac)))
	hex.Encode(out, mac)
	return out
}

func (s *Signer) sum(parts [][]byte) []byte {
	mac := hmac.New(s.newHash, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	return mac.Sum(nil)
}

// Verify reports whether signature (hex) is the signature of parts, in constant time.
// With no key every message is accepted.
func (s *Signer) Verify(signature []byte, parts ...[]byte) bool {
	if s == nil || len(s.key) == 0 {
		return true
	}
	got := make([]byte, hex.DecodedLen(len(signature)))
	if _, err := hex.Decode(got, signature); err != nil {
		return false
	}
	return hmac.Equal(got, s.sum(parts))
}

// ErrBadSignature is returned by Decode for a message whose signature does not match.
var ErrBadSignature = errors.New("message signature does not match")

// Encode frames a message for the wire: identities, delimiter, signature, header, parent
// header, metadata, content, buffers.
func Encode(m *Message, s *Signer) [][]byte {
	header := m.RawHeader()
	parent := orEmptyObject(m.ParentHeader)
	metadata := orEmptyObject(m.Metadata)
	content := orEmptyObject(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, s.Sign(header, parent, metadata, content))
	frames = append(frames, header, parent, metadata, content)
	return append(frames, m.Buffers...)
}

// Decode parses wire frames into a message, checking the signature first: a message with a
// bad or missing signature is never parsed further (ErrBadSignature).
func Decode(frames [][]byte, s *Signer) (*Message, error) {
	at := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			at = i
			break
		}
	}
	if at < 0 {
		return nil, fmt.Errorf("malformed message: no %s delimiter in %d frames", delimiter, len(frames))
	}
	rest := frames[at+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("malformed message: %d frames after the delimiter, want at least 5", len(rest))
	}
	if !s.Verify(rest[0], rest[1], rest[2], rest[3], rest[4]) {
		return nil, ErrBadSignature
	}
	m := &Message{
		// A copy: frames[:at] would keep the whole frame list, content included, alive
		// for as long as the identities are (every reply quotes them).
		Identities:   append([][]byte(nil), frames[:at]...),
		ParentHeader: json.RawMessage(rest[2]),
		Metadata:     json.RawMessage(rest[3]),
		Content:      json.RawMessage(rest[4]),
		Buffers:      rest[5:],
		rawHeader:    json.RawMessage(rest[1]),
		signature:    rest[0],
	}
	for _, f := range frames {
		m.wireSize += len(f)
	}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("malformed message header: %w", err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("malformed message header: no msg_type")
	}
	return m, nil
}

func orEmptyObject(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// newID returns a random UUID (version 4) string.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// timestamp is the ISO 8601 time Jupyter headers carry.
func timestamp() string {
	return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}
