package lang

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"gokist/internal/pyref"
)

// TestIPythonDisplayObjectsMatchIPython: HTML, Markdown, Latex, IFrame, VimeoVideo,
// YouTubeVideo and Image give the mime bundles IPython's DisplayFormatter gives for the
// same calls (object addresses aside).
func TestIPythonDisplayObjectsMatchIPython(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "dot.png")
	if err := os.WriteFile(png, []byte("\x89PNG\r\n\x1a\nnot really a png, bytes are bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := []string{
		"HTML('<b>bold</b>')", "Markdown('# Title')", "Latex(r'$x^2$')", "IFrame('https://dkist.nso.edu', 600, 300)",
		"VimeoVideo('794813045', width=640, height=360)", "VimeoVideo('1', autoplay=1)", "YouTubeVideo('abc')",
		"Image(url='https://x.org/y.png', width=100)", "Image(filename=" + quote(png) + ")",
	}
	script := "import json, sys\nfrom IPython.display import *\nfrom IPython.core.formatters import DisplayFormatter\nf = DisplayFormatter()\n" +
		"print(json.dumps([f.format(eval(c))[0] for c in json.load(sys.stdin)]))"
	in, _ := json.Marshal(calls)
	var want []map[string]string
	if err := json.Unmarshal(pyref.RunInput(t, in, script), &want); err != nil {
		t.Fatal(err)
	}
	addr := regexp.MustCompile(`0x[0-9a-f]+`)
	s := NewSession()
	run(t, s, &recorder{}, "from IPython.display import HTML, Markdown, Latex, IFrame, VimeoVideo, YouTubeVideo, Image")
	for i, c := range calls {
		res, err := s.Execute(context.Background(), c, nil)
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		if len(res) != len(want[i]) {
			t.Errorf("%s: mime types %v, IPython's %v", c, keys(res), keys(want[i]))
		}
		for mime, w := range want[i] {
			got, _ := res[mime].(string)
			if addr.ReplaceAllString(got, "0x") != addr.ReplaceAllString(w, "0x") {
				t.Errorf("%s %s:\n got %q\nwant %q", c, mime, got, w)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
