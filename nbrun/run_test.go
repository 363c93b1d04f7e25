package nbrun

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/kernel"
)

// python is the reference interpreter, with ipykernel and nbformat.
const python = pyref.Interpreter

// ipykernel is Debian's Python kernel, a real Jupyter kernel to drive before and beside
// gokist's own.
var ipykernel = []string{python, "-m", "ipykernel_launcher", "-f", "{connection_file}"}

func needPython(t *testing.T) {
	t.Helper()
	pyref.Require(t, "ipykernel", "nbformat")
}

const pyFront = `---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---
`

func cell(src string, opts ...string) string {
	return "```{code-cell} python\n" + strings.Join(opts, "\n") + map[bool]string{true: "\n", false: ""}[len(opts) > 0] + src + "\n```\n\n"
}

func parse(t *testing.T, src string) *Notebook {
	t.Helper()
	nb, err := ParseMyST([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func codeCells(nb *Notebook) []*Cell {
	var out []*Cell
	for _, c := range nb.Cells {
		if c.Type == CodeCell {
			out = append(out, c)
		}
	}
	return out
}

func TestRunCollectsOutputsLikeJupyter(t *testing.T) {
	needPython(t)
	src := pyFront + "# Outputs\n\nA *test*.\n\n" +
		cell(`print("hello", end=""); print(" world"); print("more")`+"\n"+`import sys; print("oops", file=sys.stderr)`+"\n6 * 7") +
		cell(`raise ValueError("never run")`, ":tags: [skip-execution]") +
		cell(`1/0`, "---\ntags: [raises-exception]\n---") +
		cell("from IPython.display import display, clear_output\nh = display('first', display_id=True)\nh.update('second')\nprint('gone'); clear_output(wait=True); print('kept')") +
		cell("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]); plt.show()") +
		cell("undefined_name") +
		cell("print('after the failure')")
	nb := parse(t, src)
	var progress bytes.Buffer
	res, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Progress: &progress, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(progress.String())
	cc := codeCells(nb)
	// Cell 1: stream text of one name joined, stderr separate, the result with its count.
	outs := cc[0].Outputs
	if len(outs) != 3 || outs[0]["text"] != "hello world\nmore\n" || outs[1]["name"] != "stderr" ||
		outs[2]["output_type"] != "execute_result" || asMap(outs[2]["data"])["text/plain"] != "42" {
		t.Errorf("cell 1 outputs: %v", outs)
	}
	if cc[0].ExecutionCount == nil || outs[2]["execution_count"] != *cc[0].ExecutionCount {
		t.Errorf("cell 1 execution count %v, result %v", cc[0].ExecutionCount, outs[2]["execution_count"])
	}
	// Cell 2 skipped: kept, not run.
	if cc[1].ExecutionCount != nil || len(cc[1].Outputs) != 0 || !strings.Contains(cc[1].Source, "never run") {
		t.Errorf("skipped cell ran or changed: %+v", cc[1])
	}
	// Cell 3 raises as its tag allows.
	if len(cc[2].Outputs) != 1 || cc[2].Outputs[0]["ename"] != "ZeroDivisionError" {
		t.Errorf("cell 3 outputs: %v", cc[2].Outputs)
	}
	// Cell 4: the display updated in place; output cleared at the next print.
	outs = cc[3].Outputs
	if len(outs) != 1 || outs[0]["output_type"] != "stream" || outs[0]["text"] != "kept\n" {
		t.Errorf("cell 4 outputs after clear_output(wait=True): %v", outs)
	}
	// Cell 5: a PNG.
	png := ""
	for _, o := range cc[4].Outputs {
		if s, ok := asMap(o["data"])["image/png"].(string); ok {
			png = s
		}
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(png), ""))
	if err != nil || !bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("cell 5 has no PNG: %v %v", cc[4].Outputs, err)
	}
	// Cell 6 fails, and the run stops there.
	if res.Failed == nil || res.Failed.Index != 6 || res.Failed.Name != "NameError" || !strings.Contains(res.Failed.Value, "undefined_name") {
		t.Fatalf("failure = %+v", res.Failed)
	}
	msg := res.Failed.Error()
	for _, w := range []string{"cell 6 of 7", "undefined_name", "NameError", "line "} {
		if !strings.Contains(msg, w) {
			t.Errorf("failure message %q lacks %q", msg, w)
		}
	}
	if cc[6].ExecutionCount != nil {
		t.Error("a cell after the failure ran")
	}
	if res.Executed != 5 || res.Skipped != 1 {
		t.Errorf("executed %d skipped %d", res.Executed, res.Skipped)
	}
	if !regexp.MustCompile(`\[5/7\] cell 5 \(line \d+\) import matplotlib.pyplot as plt  \d+\.\d s`).MatchString(progress.String()) {
		t.Errorf("progress lines:\n%s", progress.String())
	}
	if li, _ := nb.Metadata["language_info"].(map[string]any); li["name"] != "python" {
		t.Errorf("language_info = %v", nb.Metadata["language_info"])
	}

	// The .ipynb is valid nbformat 4.5 by the Jupyter project's own validator.
	dir := t.TempDir()
	ipynb := filepath.Join(dir, "out.ipynb")
	if err := nb.WriteIPYNB(ipynb); err != nil {
		t.Fatal(err)
	}
	validate(t, ipynb, 5)
	// It reads back with the same cells and outputs.
	back, err := ReadFile(ipynb)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Cells) != len(nb.Cells) || back.Cells[1].Source != nb.Cells[1].Source || len(codeCells(back)[4].Outputs) != len(cc[4].Outputs) {
		t.Errorf("round trip changed the notebook")
	}

	// The HTML page embeds the same PNG and renders the markdown.
	page := nb.RenderHTML()
	if !strings.Contains(page, "data:image/png;base64,"+strings.Join(strings.Fields(png), "")) {
		t.Error("HTML lacks the embedded PNG")
	}
	for _, w := range []string{"<h1>Outputs</h1>", "<em>test</em>", "hello world", "ZeroDivisionError", "never run", "<title>Outputs</title>"} {
		if !strings.Contains(page, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	if strings.Contains(page, "src=\"http") || strings.Contains(page, "<script src") {
		t.Error("HTML is not self-contained")
	}
}

// validate runs nbformat.validate on path and checks nbformat_minor.
func validate(t *testing.T, path string, minor int) {
	t.Helper()
	out := pyref.Run(t, `
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
print(nb.nbformat, nb.nbformat_minor)
`, path)
	if want := "4 " + string(rune('0'+minor)); strings.TrimSpace(string(out)) != want {
		t.Errorf("nbformat version %q, want %q", out, want)
	}
}

func TestRunAllowErrorsAndTimeoutInterrupt(t *testing.T) {
	needPython(t)
	nb := parse(t, pyFront+cell("import time\ntime.sleep(300)")+cell("bad +")+cell("print('still alive')"))
	res, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Timeout: 2 * time.Second, AllowErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	cc := codeCells(nb)
	if res.Failed == nil || res.Failed.Index != 1 || res.Failed.Name != "TimeoutError" {
		t.Errorf("first failure %+v", res.Failed)
	}
	// The interrupt stopped the sleep (ipykernel's KeyboardInterrupt, within the grace,
	// long before the 300 s it asked for) rather than the run waiting it out or killing
	// the kernel; the timeout is recorded after it.
	if o := cc[0].Outputs; len(o) != 2 || o[0]["ename"] != "KeyboardInterrupt" || o[1]["ename"] != "TimeoutError" {
		t.Errorf("cell 1 outputs %v, want the KeyboardInterrupt then the TimeoutError", o)
	}
	if len(cc[1].Outputs) == 0 || cc[1].Outputs[0]["ename"] != "SyntaxError" {
		t.Errorf("cell 2 outputs %v", cc[1].Outputs)
	}
	if len(cc[2].Outputs) != 1 || cc[2].Outputs[0]["text"] != "still alive\n" {
		t.Errorf("the kernel did not survive the interrupt: %v", cc[2].Outputs)
	}
}

func TestRunKillsAKernelThatIgnoresInterrupts(t *testing.T) {
	needPython(t)
	// ipykernel restores its SIGINT handler for every request, so the cell ignores SIGINT
	// itself, and also swallows a KeyboardInterrupt in case the interrupt comes before it
	// got to ignoring it (a slow start on a loaded machine).
	nb := parse(t, pyFront+cell("import signal, time\nwhile True:\n    try:\n"+
		"        signal.signal(signal.SIGINT, signal.SIG_IGN)\n        time.sleep(300)\n    except KeyboardInterrupt:\n        pass"))
	// Only the kill path returns this error (the sleep outlasts the timeout and the grace
	// by minutes), so it says Run stopped the kernel instead of waiting for the cell.
	_, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Timeout: 3 * time.Second, InterruptGrace: time.Second})
	if err == nil || !strings.Contains(err.Error(), "did not stop within 1s of an interrupt; the kernel was killed") ||
		!strings.Contains(err.Error(), "cell 1 of 1") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunReportsAKernelThatDoesNotStart(t *testing.T) {
	nb := parse(t, pyFront+cell("1"))
	_, err := Run(context.Background(), nb, Options{KernelCmd: []string{"/bin/sh", "-c", "echo broken kernel >&2; exit 3", "{connection_file}"}, StartTimeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "broken kernel") {
		t.Fatalf("err = %v", err)
	}
	_, err = Run(context.Background(), nb, Options{KernelCmd: []string{"/nonexistent/kernel", "{connection_file}"}})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/kernel") {
		t.Fatalf("err = %v", err)
	}
}

func TestSignaturesAreVerified(t *testing.T) {
	signer := func(key string) *kernel.Signer {
		s, err := kernel.NewSigner("hmac-sha256", key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	k := &Kernel{signer: signer("secret")}
	parts := [][]byte{[]byte(`{"msg_type":"stream","msg_id":"1"}`), []byte(`{"msg_id":"0"}`), []byte(`{}`), []byte(`{"name":"stdout","text":"hi"}`)}
	// Signed here with crypto/hmac directly, not with the code under test.
	sig := []byte(hmacSHA256Hex("secret", parts...))
	frames := append([][]byte{[]byte("topic"), []byte("<IDS|MSG>"), sig}, parts...)
	m, err := k.decode(frames)
	if err != nil || m.Type() != "stream" || m.ParentID() != "0" || m.Content["text"] != "hi" {
		t.Fatalf("good message: %v %v", m, err)
	}
	tampered := append([][]byte{}, frames...)
	tampered[6] = []byte(`{"name":"stdout","text":"HI"}`)
	if _, err := k.decode(tampered); err == nil {
		t.Error("tampered content accepted")
	}
	other := &Kernel{signer: signer("other")}
	if _, err := other.decode(frames); err == nil {
		t.Error("message signed with another key accepted")
	}
	if _, err := k.decode(frames[:5]); err == nil {
		t.Error("short message accepted")
	}
}

// hmacSHA256Hex is Jupyter's message signature: hex HMAC-SHA256 over the parts in order.
func hmacSHA256Hex(key string, parts ...[]byte) string {
	mac := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

func TestConnectionInfoPortsDistinct(t *testing.T) {
	ci, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range []int{ci.ShellPort, ci.IOPubPort, ci.StdinPort, ci.ControlPort, ci.HBPort} {
		if p <= 0 || seen[p] {
			t.Errorf("port %d repeated or invalid: %+v", p, ci)
		}
		seen[p] = true
	}
	if len(ci.Key) != 64 || ci.SignatureScheme != "hmac-sha256" || ci.IP != "127.0.0.1" {
		t.Errorf("%+v", ci)
	}
}

func TestParseIPYNBWrittenByNbformat(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "py.ipynb")
	pyref.Run(t, `
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
nb = new_notebook(metadata={"kernelspec": {"name": "gokist", "display_name": "gokist", "language": "gokist"}})
nb.cells = [new_markdown_cell("# T\n\ntext"), new_code_cell("x = 1\nx", metadata={"tags": ["skip-execution"]})]
nbformat.write(nb, sys.argv[1])
`, p)
	nb, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 2 || nb.Cells[0].Source != "# T\n\ntext" || nb.Cells[1].Source != "x = 1\nx" || !nb.Cells[1].HasTag(TagSkipExecution) || nb.Kernelspec() != "gokist" {
		t.Fatalf("parsed %+v %+v", nb.Cells[0], nb.Cells[1])
	}
	w := filepath.Join(dir, "w.ipynb")
	if err := nb.WriteIPYNB(w); err != nil {
		t.Fatal(err)
	}
	validate(t, w, 5)
	// A notebook parsed from MyST, never run, is valid too.
	md := parse(t, frontMatter+"# x\n\n```{code-cell} gokist\n:tags: [skip-execution]\n1\n```\n")
	w2 := filepath.Join(dir, "md.ipynb")
	if err := md.WriteIPYNB(w2); err != nil {
		t.Fatal(err)
	}
	validate(t, w2, 5)
	if _, err := os.Stat(w2); err != nil {
		t.Fatal(err)
	}
}

// A cell allowed to fail must not make the kernel abort the next request (ipykernel
// aborts requests queued behind an error when stop_on_error is set).
func TestRaisesExceptionDoesNotAbortTheNextCell(t *testing.T) {
	needPython(t)
	tag := ":tags: [raises-exception]"
	nb := parse(t, pyFront+cell("1/0", tag)+cell("print(1)")+cell("[][0]", tag)+cell("print(2)"))
	res, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != nil {
		t.Fatalf("failed: %v", res.Failed)
	}
	cc := codeCells(nb)
	if len(cc[1].Outputs) != 1 || cc[1].Outputs[0]["text"] != "1\n" || len(cc[3].Outputs) != 1 || cc[3].Outputs[0]["text"] != "2\n" {
		t.Errorf("cells after expected errors: %v / %v", cc[1].Outputs, cc[3].Outputs)
	}
}

// Help asked for with `x?` comes back as a pager payload, which a headless run has no
// pager for; it is kept as a display output, as JupyterLab shows it.
func TestRunKeepsPagerHelpAsOutput(t *testing.T) {
	needPython(t)
	nb := parse(t, pyFront+cell("len?"))
	if _, err := Run(context.Background(), nb, Options{KernelCmd: ipykernel, Timeout: 60 * time.Second}); err != nil {
		t.Fatal(err)
	}
	outs := codeCells(nb)[0].Outputs
	if len(outs) != 1 || outs[0]["output_type"] != "display_data" {
		t.Fatalf("outputs of len?: %v", outs)
	}
	text, _ := asMap(outs[0]["data"])["text/plain"].(string)
	if !strings.Contains(text, "Return the number of items in a container.") {
		t.Fatalf("pager text %q lacks len's docstring", text)
	}
	if page := nb.RenderHTML(); !strings.Contains(page, "Return the number of items in a container.") {
		t.Error("the HTML page lacks the help text")
	}
}
