package asdf

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestASDFReadBounded: an ASDF file that inflates past maxBytes, or is larger, or is
// a named pipe, is refused with the limit or the kind of file named, before it is read.
func TestASDFReadBounded(t *testing.T) {
	defer func(limit int64) { maxBytes = limit }(maxBytes)
	maxBytes = 1 << 20
	dir := t.TempDir()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("#ASDF 1.0.0\nfoo: 1\n...\n"))
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	bomb := filepath.Join(dir, "bomb.asdf.gz")
	os.WriteFile(bomb, b.Bytes(), 0o644)
	plain := filepath.Join(dir, "big.asdf")
	os.WriteFile(plain, append([]byte("#ASDF 1.0.0\nfoo: 1\n...\n"), make([]byte, 2<<20)...), 0o644)
	fifo := filepath.Join(dir, "fifo.asdf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		bomb:  "decompresses to more than 1 MiB, the most read of an ASDF file",
		plain: "more than 1 MiB, the most read of an ASDF file",
		fifo:  "not a regular file",
	} {
		_, err := Read(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming the file and %q", filepath.Base(path), err, want)
		}
	}
}
