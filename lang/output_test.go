package lang

import (
	"strings"

	"gokist/obj"
)

// recorder is an obj.Output that keeps everything a cell shows.
type recorder struct {
	stdout, stderr strings.Builder
	displays       []map[string]any
	pages          []string
	clears         []bool
	progress       []obj.Progress
}

func (r *recorder) Stream(name, text string) {
	if name == "stderr" {
		r.stderr.WriteString(text)
	} else {
		r.stdout.WriteString(text)
	}
}
func (r *recorder) Display(b map[string]any, _ map[string]any, _ string, _ bool) {
	r.displays = append(r.displays, b)
}
func (r *recorder) ClearOutput(wait bool)   { r.clears = append(r.clears, wait) }
func (r *recorder) Page(text string)        { r.pages = append(r.pages, text) }
func (r *recorder) Progress(p obj.Progress) { r.progress = append(r.progress, p) }
