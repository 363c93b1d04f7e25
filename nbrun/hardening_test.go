package nbrun

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/internal/pyref"
)

// staleIPYNB is a notebook saved after another run: every code cell holds outputs and
// a count, one of them a live <script>; the second cell fails now.
const staleIPYNB = `{"nbformat": 4, "nbformat_minor": 5,
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
 "cells": [
  {"id": "c1", "cell_type": "code", "metadata": {}, "source": "x = 1\nx", "execution_count": 7,
   "outputs": [{"output_type": "stream", "name": "stdout", "text": "old 1\n"}]},
  {"id": "c2", "cell_type": "code", "metadata": {}, "source": "1/0", "execution_count": 8, "outputs": []},
  {"id": "c3", "cell_type": "code", "metadata": {}, "source": "print('never')", "execution_count": 9,
   "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<script>alert('stale')</script>", "text/plain": "old"}}]},
  {"id": "c4", "cell_type": "code", "metadata": {"tags": ["skip-execution"]}, "source": "expensive()", "execution_count": 4,
   "outputs": [{"output_type": "stream", "name": "stdout", "text": "kept from the file\n"}]},
  {"id": "c5", "cell_type": "code", "metadata": {}, "source": "y = 2", "execution_count": 11,
   "outputs": [{"output_type": "stream", "name": "stdout", "text": "old 5\n"}]}
 ]}`

// nbclientSkipPy runs a notebook with nbclient (errors allowed, so that it reaches every
// cell) and prints each code cell's execution count and outputs.
const nbclientSkipPy = `
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=60).execute()
print(json.dumps([{"count": c.get("execution_count"), "outputs": c.get("outputs")} for c in nb.cells]))
`

// TestCellsNotRunAreCleared: after a failing cell, the cells the run did not reach lose
// the outputs and counts the input file held (a stored <script> must not run in the
// page); a skip-execution cell keeps its stored outputs and count, as nbclient keeps them.
func TestCellsNotRunAreCleared(t *testing.T) {
	needPython(t)
	pyref.Require(t, "nbclient")
	dir := t.TempDir()
	path := filepath.Join(dir, "stale.ipynb")
	os.WriteFile(path, []byte(staleIPYNB), 0o644)

	var ref []struct {
		Count   *int             `json:"count"`
		Outputs []map[string]any `json:"outputs"`
	}
	if err := json.Unmarshal(pyref.Run(t, nbclientSkipPy, path), &ref); err != nil {
		t.Fatal(err)
	}
	nb, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed == nil || res.Failed.Index != 2 {
		t.Fatalf("failure %v, want cell 2", res.Failed)
	}
	cc := codeCells(nb)
	if cc[0].ExecutionCount == nil || *cc[0].ExecutionCount != 1 {
		t.Errorf("cell 1 ran with count %v", cc[0].ExecutionCount)
	}
	for _, i := range []int{2, 4} {
		if cc[i].ExecutionCount != nil || len(cc[i].Outputs) != 0 {
			t.Errorf("cell %d, not run, keeps count %v and outputs %v from the file", i+1, cc[i].ExecutionCount, cc[i].Outputs)
		}
	}
	// The skip-execution cell: as nbclient left it, after this run and after one that
	// reaches it (errors allowed, as nbclient ran).
	all, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), all, Options{KernelCmd: ipykernel, Timeout: time.Minute, AllowErrors: true}); err != nil {
		t.Fatal(err)
	}
	if c := codeCells(all)[3]; c.ExecutionCount == nil || ref[3].Count == nil || *c.ExecutionCount != *ref[3].Count ||
		!reflect.DeepEqual(jsonRound(t, c.Outputs), jsonRound(t, ref[3].Outputs)) {
		t.Errorf("skip-execution cell in a full run: count %v outputs %v; nbclient: count %v outputs %v", c.ExecutionCount, c.Outputs, ref[3].Count, ref[3].Outputs)
	}
	if cc[3].ExecutionCount == nil || ref[3].Count == nil || *cc[3].ExecutionCount != *ref[3].Count ||
		!reflect.DeepEqual(jsonRound(t, cc[3].Outputs), jsonRound(t, ref[3].Outputs)) {
		t.Errorf("skip-execution cell: count %v outputs %v; nbclient: count %v outputs %v", cc[3].ExecutionCount, cc[3].Outputs, ref[3].Count, ref[3].Outputs)
	}
	page := nb.RenderHTML()
	if strings.Contains(page, "alert('stale')") || !strings.Contains(page, "kept from the file") {
		t.Errorf("the page still shows the stale <script> or lost the skipped cell's output")
	}
	// Written and read back, the cleared cells are null/[] as nbformat has cells never run.
	out := filepath.Join(dir, "out", "stale")
	if err := nb.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(out + ".ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if c := back.Cells[2]; c.ExecutionCount != nil || len(c.Outputs) != 0 {
		t.Errorf("written cell 3: count %v outputs %v", c.ExecutionCount, c.Outputs)
	}
}

// jsonRound passes v through JSON, so that Go and Python values compare alike.
func jsonRound(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

// markdownLinksPy renders markdown with nbconvert's filter and prints each result.
const markdownLinksPy = `
import json, sys
from nbconvert.filters.markdown import markdown2html
print(json.dumps([markdown2html(s) for s in json.loads(sys.stdin.read())]))
`

// TestJavascriptLinksBlanked: links and images whose URL would run script are blanked
// in the page, as nbconvert's markdown renderer blanks them; other URLs are kept.
func TestJavascriptLinksBlanked(t *testing.T) {
	pyref.Require(t, "nbconvert")
	cases := []string{"[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](vbscript:foo)", "![i](javascript:alert(1))",
		"[x](java%0ascript:x)", "[x](data:text/html,hi)", "[x](https://example.org/a_b)", "[x](jav&#x09;ascript:alert(1))"}
	in, _ := json.Marshal(cases)
	var want []string
	if err := json.Unmarshal(pyref.RunInput(t, in, markdownLinksPy), &want); err != nil {
		t.Fatal(err)
	}
	attr := regexp.MustCompile(`(href|src)="([^"]*)"`)
	urls := func(page string) []string {
		var out []string
		for _, m := range attr.FindAllStringSubmatch(page, -1) {
			out = append(out, m[1]+"="+m[2])
		}
		return out
	}
	for i, c := range cases {
		got, exp := urls(RenderMarkdown(c)), urls(want[i])
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: gokist renders %v, nbconvert %v", c, got, exp)
		}
	}
}

// TestReadFileRefusesFIFOAndStringTags: a named pipe as the notebook is refused at once
// (reading it would wait for a writer for ever), and a tags value that is a string, not
// a list, is an error naming the cell rather than a tag silently ignored.
func TestReadFileRefusesFIFOAndStringTags(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "nb.ipynb")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
			t.Errorf("FIFO notebook: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO notebook blocked")
	}
	md := filepath.Join(dir, "t.md")
	os.WriteFile(md, []byte(pyFront+cell("print(1)")+cell("expensive()", ":tags: skip-execution")), 0o644)
	_, err := ReadFile(md)
	if err == nil || !strings.Contains(err.Error(), "cell 2 (line 17)") || !strings.Contains(err.Error(), "tags must be a list of strings, not a string") {
		t.Errorf("string tags in .md: %v", err)
	}
	// A notebook built in memory is checked by Run, before any kernel starts.
	if _, err := Run(context.Background(), &Notebook{Metadata: map[string]any{}, Cells: []*Cell{{Type: CodeCell, Source: "1", Metadata: map[string]any{"tags": "skip-execution"}}}},
		Options{KernelCmd: []string{"false", "{connection_file}"}}); err == nil || !strings.Contains(err.Error(), "cell 1: metadata tags must be a list of strings") {
		t.Errorf("Run with string tags: %v", err)
	}
	nbPath := filepath.Join(dir, "t.ipynb")
	os.WriteFile(nbPath, []byte(strings.Replace(staleIPYNB, `{"tags": ["skip-execution"]}`, `{"tags": "skip-execution"}`, 1)), 0o644)
	_, err = ReadFile(nbPath)
	if err == nil || !strings.Contains(err.Error(), "cell 4") || !strings.Contains(err.Error(), "not a string") {
		t.Errorf("string tags in .ipynb: %v", err)
	}
	os.WriteFile(nbPath, []byte(strings.Replace(staleIPYNB, `{"tags": ["skip-execution"]}`, `{"tags": ["a", 3]}`, 1)), 0o644)
	if _, err = ReadFile(nbPath); err == nil || !strings.Contains(err.Error(), "holds a number 3") {
		t.Errorf("a number among the tags: %v", err)
	}
}

// TestWriteOutputsNeverOverwritesInputs: an output path that is the input notebook, or
// the .ipynb beside an .md input, is refused; an output path that is a symbolic link is
// replaced by the new file, never written through.
func TestWriteOutputsNeverOverwritesInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.ipynb")
	os.WriteFile(in, []byte(staleIPYNB), 0o644)
	nb, err := ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	err = nb.WriteOutputs(filepath.Join(dir, "x"))
	if err == nil || !strings.Contains(err.Error(), "it is the input notebook "+in) {
		t.Errorf("output over the input: %v", err)
	}
	// The input reached through a link in the output directory.
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	os.Symlink(in, filepath.Join(out, "x.ipynb"))
	if err := nb.WriteOutputs(filepath.Join(out, "x")); err == nil {
		t.Error("output through a link to the input accepted")
	}
	if b, _ := os.ReadFile(in); string(b) != staleIPYNB {
		t.Error("the input notebook changed")
	}

	// q.md with a paired q.ipynb beside it.
	md := filepath.Join(dir, "q.md")
	os.WriteFile(md, []byte(pyFront+cell("print(1)")), 0o644)
	pair := filepath.Join(dir, "q.ipynb")
	os.WriteFile(pair, []byte(staleIPYNB), 0o644)
	qnb, err := ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	err = qnb.WriteOutputs(filepath.Join(dir, "q"))
	if err == nil || !strings.Contains(err.Error(), "beside the input "+md) {
		t.Errorf("output over the .md's pair: %v", err)
	}
	if b, _ := os.ReadFile(pair); string(b) != staleIPYNB {
		t.Error("the paired notebook changed")
	}

	// A paired q.ipynb in another output directory (jupytext formats with md) is refused;
	// an earlier run's output there is replaced.
	paired := filepath.Join(dir, "paired")
	os.Mkdir(paired, 0o755)
	pairedNB := strings.Replace(staleIPYNB, `"metadata": {"kernelspec"`, `"metadata": {"jupytext": {"formats": "ipynb,md:myst"}, "kernelspec"`, 1)
	os.WriteFile(filepath.Join(paired, "q.ipynb"), []byte(pairedNB), 0o644)
	err = qnb.WriteOutputs(filepath.Join(paired, "q"))
	if err == nil || !strings.Contains(err.Error(), "jupytext-paired") {
		t.Errorf("output over a paired notebook: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(paired, "q.ipynb")); string(b) != pairedNB {
		t.Error("the paired notebook changed")
	}
	if err := qnb.WriteOutputs(filepath.Join(out, "q")); err != nil {
		t.Fatal(err)
	}
	if err := qnb.WriteOutputs(filepath.Join(out, "q")); err != nil {
		t.Errorf("replacing an earlier run's output: %v", err)
	}
	os.Remove(filepath.Join(out, "q.html"))

	// An existing NAME.html that links elsewhere: the link is replaced, its target kept.
	secret := filepath.Join(dir, "secret.txt")
	os.WriteFile(secret, []byte("keep"), 0o600)
	os.Symlink(secret, filepath.Join(out, "q.html"))
	if err := qnb.WriteOutputs(filepath.Join(out, "q")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(secret); string(b) != "keep" {
		t.Errorf("the link's target now holds %.40q", b)
	}
	if st, err := os.Lstat(filepath.Join(out, "q.html")); err != nil || !st.Mode().IsRegular() {
		t.Errorf("q.html is not a regular file now: %v %v", st, err)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
