package plot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/obj"
)

// TestSavefigRefusesLinksAndSpecialFiles: savefig does not write through a symbolic link
// (the file it points to keeps its bytes) nor into a directory or a named pipe (which
// would block the cell): each is an error naming the path and what it is.
func TestSavefigRefusesLinksAndSpecialFiles(t *testing.T) {
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}}
	call(t, env, plt, "plot", []any{obj.List{1, 3, 2}}, nil)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	os.WriteFile(secret, []byte("keep me"), 0o600)
	link := filepath.Join(dir, "link.png")
	os.Symlink(secret, link)
	dangling := filepath.Join(dir, "dangling.png")
	os.Symlink(filepath.Join(dir, "nowhere.png"), dangling)
	fifo := filepath.Join(dir, "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.png")
	os.Mkdir(sub, 0o755)
	cases := []struct {
		path, class, want string
	}{
		{link, "OSError", "it is a symbolic link"},
		{dangling, "OSError", "it is a symbolic link"},
		{fifo, "OSError", "it is a named pipe, not a regular file"},
		{sub, "IsADirectoryError", "it is a directory"},
	}
	for _, c := range cases {
		done := make(chan error, 1)
		go func() {
			_, err := callErr(env, plt, "savefig", []any{c.path}, nil)
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("savefig(%q) blocked", c.path)
		}
		var oe *obj.Error
		if !errors.As(err, &oe) || oe.Class != c.class || !strings.Contains(oe.Msg, c.path) || !strings.Contains(oe.Msg, c.want) {
			t.Errorf("savefig(%q): %v, want %s naming the path and %q", c.path, err, c.class, c.want)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "keep me" {
		t.Errorf("the linked file now holds %.40q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere.png")); err == nil {
		t.Error("savefig through a dangling link created its target")
	}
	// A regular file is overwritten whole (a shorter figure leaves no old tail).
	target := filepath.Join(dir, "old.png")
	os.WriteFile(target, make([]byte, 1<<20), 0o644)
	call(t, env, plt, "savefig", []any{target}, nil)
	if b, _ := os.ReadFile(target); len(b) >= 1<<20 || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("overwritten figure: %d bytes, starts %.8q", len(b), b)
	}
}
