package kernel

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// RFC 4231 test case 2: HMAC-SHA256 with key "Jefe" over "what do ya want for nothing?".
func TestSignerRFC4231(t *testing.T) {
	s, err := NewSigner("hmac-sha256", "Jefe")
	if err != nil {
		t.Fatal(err)
	}
	// The signature covers the concatenated parts, so splitting the text anywhere gives
	// the same MAC.
	got := s.Sign([]byte("what do ya "), []byte("want for nothing?"))
	want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if string(got) != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if !s.Verify([]byte(want), []byte("what do ya want for nothing?")) {
		t.Fatal("Verify rejected the RFC 4231 signature")
	}
	bad := []byte(strings.Replace(want, "5b", "5c", 1))
	if s.Verify(bad, []byte("what do ya want for nothing?")) {
		t.Fatal("Verify accepted a wrong signature")
	}
	if s.Verify([]byte("zz"+want[2:]), []byte("what do ya want for nothing?")) {
		t.Fatal("Verify accepted a non-hex signature")
	}
	if _, err := NewSigner("md5", "k"); err == nil {
		t.Fatal("unknown signature scheme accepted")
	}
}

func testMessage() *Message {
	return &Message{
		Identities:   [][]byte{[]byte("client-1"), []byte("x")},
		Header:       Header{MsgID: "m1", Session: "s1", Username: "u", Date: "2026-01-01T00:00:00.000000Z", MsgType: "execute_request", Version: "5.4"},
		ParentHeader: json.RawMessage(`{"msg_id":"p0"}`),
		Metadata:     json.RawMessage(`{}`),
		Content:      json.RawMessage(`{"code":"1 + 1"}`),
		Buffers:      [][]byte{{0, 1, 2}},
	}
}

func TestEncodeDecodeFraming(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", "secret")
	frames := Encode(testMessage(), s)
	// identities, delimiter, signature, 4 JSON parts, 1 buffer
	if len(frames) != 2+1+1+4+1 {
		t.Fatalf("%d frames", len(frames))
	}
	if string(frames[2]) != "<IDS|MSG>" {
		t.Fatalf("frame 2 is %q, want the delimiter", frames[2])
	}
	if len(frames[3]) != 64 {
		t.Fatalf("signature %q is not 64 hex digits", frames[3])
	}
	m, err := Decode(frames, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Identities) != 2 || string(m.Identities[0]) != "client-1" || m.Header.MsgType != "execute_request" ||
		string(m.Content) != `{"code":"1 + 1"}` || string(m.ParentHeader) != `{"msg_id":"p0"}` ||
		len(m.Buffers) != 1 || !bytes.Equal(m.Buffers[0], []byte{0, 1, 2}) {
		t.Fatalf("round trip changed the message: %+v", m)
	}
	// A reply quotes the request's header bytes exactly.
	if !bytes.Equal(m.RawHeader(), frames[4]) {
		t.Fatal("RawHeader differs from the received header")
	}

	for i, tamper := range []func([][]byte){
		func(f [][]byte) { f[7] = []byte(`{"code":"2 + 2"}`) },                         // content
		func(f [][]byte) { f[4] = bytes.Replace(f[4], []byte("m1"), []byte("m2"), 1) }, // header
		func(f [][]byte) { f[5] = []byte(`{}`) },                                       // parent header
		func(f [][]byte) { f[6] = []byte(`{"a":1}`) },                                  // metadata
		func(f [][]byte) { f[3] = []byte("") },                                         // missing signature
	} {
		f := Encode(testMessage(), s)
		tamper(f)
		if _, err := Decode(f, s); !errors.Is(err, ErrBadSignature) {
			t.Errorf("tamper %d: got %v, want ErrBadSignature", i, err)
		}
	}
	other, _ := NewSigner("hmac-sha256", "other")
	if _, err := Decode(frames, other); !errors.Is(err, ErrBadSignature) {
		t.Errorf("message signed with another key accepted: %v", err)
	}

	// An empty key signs nothing and accepts anything.
	none, _ := NewSigner("hmac-sha256", "")
	f := Encode(testMessage(), none)
	if len(f[3]) != 0 {
		t.Fatalf("unsigned message has signature %q", f[3])
	}
	if _, err := Decode(f, none); err != nil {
		t.Fatal(err)
	}

	if _, err := Decode([][]byte{[]byte("a"), []byte("b")}, s); err == nil {
		t.Fatal("message without delimiter accepted")
	}
	if _, err := Decode([][]byte{delimiter, []byte("sig"), []byte("{}")}, s); err == nil {
		t.Fatal("short message accepted")
	}
}

const pythonSessionScript = `
import sys, json
from jupyter_client.session import Session
s = Session(key=b"k3y", signature_scheme="hmac-sha256")
mode = sys.argv[1]
if mode == "make":
    msg = s.msg("execute_request", content={"code": "print(1)", "silent": False})
    frames = s.serialize(msg, ident=[b"py-ident"])
    print(json.dumps([f.hex() if isinstance(f, bytes) else f.encode().hex() for f in frames]))
else:
    frames = [bytes.fromhex(h) for h in json.loads(sys.stdin.read())]
    idents, rest = s.feed_identities(frames, copy=True)
    m = s.deserialize(rest, content=True)   # raises on a bad signature
    print(json.dumps({"type": m["header"]["msg_type"], "content": m["content"], "parent": m["parent_header"]["msg_id"]}))
`

// jupyter_client's own Session signs and checks messages the same way as Encode/Decode.
func TestSignatureMatchesJupyterClient(t *testing.T) {
	pyref.Require(t, "jupyter_client")
	out := pyref.Run(t, pythonSessionScript, "make")
	var hexFrames []string
	if err := json.Unmarshal(out, &hexFrames); err != nil {
		t.Fatal(err)
	}
	frames := make([][]byte, len(hexFrames))
	for i, h := range hexFrames {
		frames[i], _ = hex.DecodeString(h)
	}
	s, _ := NewSigner("hmac-sha256", "k3y")
	m, err := Decode(frames, s)
	if err != nil {
		t.Fatalf("decoding jupyter_client's message: %v", err)
	}
	if m.Header.MsgType != "execute_request" || string(m.Identities[0]) != "py-ident" {
		t.Fatalf("decoded %+v", m.Header)
	}
	wrong, _ := NewSigner("hmac-sha256", "k3y!")
	if _, err := Decode(frames, wrong); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong key: %v", err)
	}

	reply := &Message{
		Header:       Header{MsgID: "r1", Session: "go", Username: "kernel", Date: timestamp(), MsgType: "execute_reply", Version: ProtocolVersion},
		ParentHeader: m.RawHeader(),
		Content:      json.RawMessage(`{"status":"ok","execution_count":3}`),
	}
	enc := Encode(reply, s)
	hexOut := make([]string, len(enc))
	for i, f := range enc {
		hexOut[i] = hex.EncodeToString(f)
	}
	in, _ := json.Marshal(hexOut)
	got, err := pyref.Output(in, pythonSessionScript, "check")
	if err != nil {
		t.Fatalf("jupyter_client rejected our message: %v", err)
	}
	var res struct {
		Type    string         `json:"type"`
		Content map[string]any `json:"content"`
		Parent  string         `json:"parent"`
	}
	if err := json.Unmarshal(got, &res); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if res.Type != "execute_reply" || res.Content["execution_count"] != 3.0 || res.Parent != m.Header.MsgID {
		t.Fatalf("jupyter_client read %+v", res)
	}

	// And with one byte of content changed, jupyter_client refuses it.
	enc[len(enc)-1] = []byte(`{"status":"ok","execution_count":4}`)
	hexOut[len(hexOut)-1] = hex.EncodeToString(enc[len(enc)-1])
	in, _ = json.Marshal(hexOut)
	if out, err := pyref.Output(in, pythonSessionScript, "check"); err == nil || !strings.Contains(err.Error(), "Invalid Signature") {
		t.Fatalf("tampered message: err %v, output %s", err, out)
	}
}

func FuzzDecode(f *testing.F) {
	s, _ := NewSigner("hmac-sha256", "")
	for _, m := range [][][]byte{Encode(testMessage(), s), {delimiter}, {[]byte("x"), delimiter, nil, nil, nil, nil, nil}} {
		f.Add(bytes.Join(m, []byte{0}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0})
		m, err := Decode(frames, s)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to frames that decode to the same header.
		m2, err := Decode(Encode(m, s), s)
		if err != nil || m2.Header != m.Header {
			t.Fatalf("re-decode: %v %+v %+v", err, m2, m)
		}
	})
}
