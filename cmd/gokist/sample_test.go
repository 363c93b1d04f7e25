package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// The gokist command is run as a child process: this test binary re-executed with
// GOKIST_TEST_RUN_ARGS set runs `gokist` with those arguments and exits with its status.
func init() {
	if args, ok := os.LookupEnv("GOKIST_TEST_RUN_ARGS"); ok {
		os.Exit(run(strings.Split(args, "\x1f")))
	}
}

// runGokist runs `gokist args...` and returns its stdout, stderr and exit status.
func runGokist(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	p := testproc.Start(t, testproc.Cmd{Name: os.Args[0], Args: []string{"-test.run=^$"},
		Env: []string{"GOKIST_TEST_RUN_ARGS=" + strings.Join(args, "\x1f")}, Timeout: 5 * time.Minute})
	if err := p.Wait(); err != nil && p.ExitCode() < 0 {
		t.Fatalf("gokist %v: %v\nits output:\n%s", args, err, p.Output())
	}
	return string(p.Stdout()), string(p.Stderr()), p.ExitCode()
}

func TestSampleCommandWritesDataset(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "VISP", "AGLKO")
	stdout, stderr, code := runGokist(t, "sample", dir, "--shape", "4,3,16,20", "--seed", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "VISP_*_AGLKO_L1.fits"))
	if len(files) != 12 {
		t.Fatalf("%d files written, want 12", len(files))
	}
	index, _ := filepath.Glob(filepath.Join(dir, "VISP_L1_*_AGLKO.asdf"))
	if len(index) != 1 {
		t.Fatalf("ASDF index files %q, want one", index)
	}
	var size int64
	for _, f := range append(files, index...) {
		st, _ := os.Stat(f)
		size += st.Size()
	}
	for _, want := range []string{"12 files", "ASDF index " + filepath.Base(index[0]), "(4, 3, 16, 20)", formatBytes(size), `ds = Dataset.from_directory("` + dir + `")`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\r") {
		t.Errorf("a progress bar was drawn although stdout is not a terminal:\n%q", stdout)
	}
	// --keep leaves an up-to-date sample alone (make demo), but not one of another seed.
	before, _ := os.Stat(index[0])
	if stdout, stderr, code := runGokist(t, "sample", dir, "--shape", "4,3,16,20", "--seed", "4", "--keep"); code != 0 || !strings.Contains(stdout, "(up to date)") {
		t.Errorf("--keep over the same sample: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if after, _ := os.Stat(index[0]); !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("--keep rewrote the up-to-date sample")
	}
	if stdout, stderr, code := runGokist(t, "sample", dir, "--shape", "4,3,16,20", "--seed", "5", "--keep"); code != 0 || strings.Contains(stdout, "up to date") {
		t.Errorf("--keep over a sample of another seed: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Running again over its own sample is allowed; over other files it is not.
	if _, stderr, code := runGokist(t, "sample", dir, "--shape", "4,3,16,20"); code != 0 {
		t.Errorf("rewriting the sample: exit %d: %s", code, stderr)
	}
}

func TestSampleCommandBadArguments(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	foreign := filepath.Join(base, "foreign")
	os.Mkdir(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "data.txt"), []byte("x"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		dir  string // must not exist afterwards ("" to skip)
	}{
		{"zero axis", []string{"--shape", "4,0,16,20"}, "new"},
		{"three axes", []string{"--shape", "4,3,16"}, "new"},
		{"not numbers", []string{"--shape", "a,b,c,d"}, "new"},
		{"negative", []string{"--shape", "4,-3,16,20"}, "new"},
		{"unknown size", []string{"--size", "huge"}, "new"},
		{"unknown flag", []string{"--colour"}, "new"},
		{"two dirs", []string{"extra"}, "new"},
		{"unwritable dir", nil, filepath.Join(file, "sub")},
		{"foreign dir", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir
			switch dir {
			case "new":
				dir = filepath.Join(base, strings.ReplaceAll(tc.name, " ", "-"))
			case "":
				dir = foreign
			}
			args := append([]string{"sample", dir, "--shape", "4,2,16,20"}, tc.args...)
			stdout, stderr, code := runGokist(t, args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2 (stdout %q, stderr %q)", code, stdout, stderr)
			}
			if lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; lines != 1 || !strings.HasPrefix(stderr, "gokist sample: ") {
				t.Errorf("want a one-line error, got %q", stderr)
			}
			if tc.dir != "" {
				if _, err := os.Stat(dir); err == nil {
					t.Errorf("%s was created", dir)
				}
			} else if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
				t.Errorf("foreign directory now has %d entries", len(entries))
			}
		})
	}
}
