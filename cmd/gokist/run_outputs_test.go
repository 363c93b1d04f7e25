package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunNeverOverwritesItsInput: `gokist run x.ipynb -o <its own directory>` and
// `gokist run q.md -o .` beside a paired q.ipynb are refused before any cell runs, and
// the input notebooks are left as they were.
func TestRunNeverOverwritesItsInput(t *testing.T) {
	dir := t.TempDir()
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"id": "a", "cell_type": "code", "metadata": {}, "source": "1/0", "execution_count": 3, "outputs": []}]}`
	in := filepath.Join(dir, "x.ipynb")
	os.WriteFile(in, []byte(nb), 0o644)
	out, code := gokistProc(t, "run", in, "-o", dir, "--kernel-cmd", "false {connection_file}")
	if code != 2 || !strings.Contains(out, "it is the input notebook "+in) || strings.Contains(out, "running") {
		t.Errorf("run x.ipynb -o its directory: exit %d, %q", code, out)
	}
	md := filepath.Join(dir, "q.md")
	os.WriteFile(md, []byte("---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n```{code-cell} python\n1\n```\n"), 0o644)
	pair := filepath.Join(dir, "q.ipynb")
	os.WriteFile(pair, []byte(nb), 0o644)
	out, code = gokistProc(t, "run", md, "-o", dir, "--kernel-cmd", "false {connection_file}")
	if code != 2 || !strings.Contains(out, "beside the input "+md) {
		t.Errorf("run q.md -o its directory beside q.ipynb: exit %d, %q", code, out)
	}
	for _, p := range []string{in, pair} {
		if b, _ := os.ReadFile(p); string(b) != nb {
			t.Errorf("%s changed", p)
		}
	}
}
