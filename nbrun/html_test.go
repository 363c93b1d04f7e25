package nbrun

import (
	"regexp"
	"strings"
	"testing"
)

// The rendered page must show outputs as Jupyter does: prompts "In [n]:" and
// "Out[n]:", outputs not boxed like inputs, and of a bundle its HTML before its images
// (as nbconvert chooses), so a plot's slider survives.
func TestRenderHTMLOutputsLikeJupyter(t *testing.T) {
	n := 3
	nb := &Notebook{Cells: []*Cell{{
		Type: CodeCell, Source: "ds[0].plot()", ExecutionCount: &n,
		Outputs: []map[string]any{
			{"output_type": "display_data", "data": map[string]any{
				"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>",
				"text/html": `<div class="fig"><img src="data:image/png;base64,iVBORw0KGgo="><input type="range"></div>`}},
			{"output_type": "execute_result", "execution_count": 3, "data": map[string]any{"text/plain": "(4, 160)"}},
			{"output_type": "display_data", "data": map[string]any{"image/png": "AAAA", "text/plain": "<Figure 2>"}},
		},
	}}}
	page := nb.RenderHTML()
	for _, want := range []string{
		`<div class="prompt">In [3]:</div>`,
		`<div class="prompt">Out[3]:</div>`,
		`<div class="html"><div class="fig"><img src="data:image/png;base64,iVBORw0KGgo="><input type="range"></div></div>`,
		`<img src="data:image/png;base64,AAAA" alt="&lt;Figure 2&gt;">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// Three output rows, and the input row is the only one with the input's boxed style.
	if got := strings.Count(page, `<div class="row out">`); got != 3 {
		t.Errorf("%d output rows, want 3", got)
	}
	if got := len(regexp.MustCompile(`class="[^"]*\binput\b`).FindAllString(page, -1)); got != 1 {
		t.Errorf("%d elements of class input, want 1 (outputs must not be styled as inputs)", got)
	}
	// Text inside HTML outputs (tables drawn in <pre>) keeps its lines rather than wrapping.
	if !strings.Contains(page, ".html pre{white-space:pre;") {
		t.Error("the page lets preformatted HTML output wrap")
	}
}
