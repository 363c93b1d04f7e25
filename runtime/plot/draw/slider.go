package draw

import (
	"encoding/base64"
	"fmt"
	"html"
	"strings"
)

// MaxSliderFrames caps the frames rendered for an HTML slider; longer axes are sampled
// evenly (first and last included).
const MaxSliderFrames = 24

// sliderFrames picks the frame indices shown for an axis of n frames.
func SliderFrames(n int) []int {
	if n <= MaxSliderFrames {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, MaxSliderFrames)
	for k := range out {
		out[k] = int(float64(k)*float64(n-1)/float64(MaxSliderFrames-1) + 0.5)
	}
	return out
}

// sliderHTML returns, when an axes of the figure has a Slider, an HTML fragment with the
// figure (mainB64, a base64 PNG) and beneath it small renders of the frames with a range
// input that switches between them. The switching is an inline handler, no <script>, so
// that it works in notebooks exported to HTML. It returns "" when there is no slider.
func (f *Figure) SliderHTML(mainB64 string) (string, error) {
	var ax *Axes
	for _, a := range f.axes {
		if len(a.Images) > 0 && a.Images[0].opts.Slider != nil {
			ax = a
			break
		}
	}
	if ax == nil {
		return "", nil
	}
	im := ax.Images[0]
	sl := im.opts.Slider
	w, h := f.PixelSize()
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="gokist-figure" style="font-family:sans-serif;font-size:13px">`+"\n")
	fmt.Fprintf(&b, `<img src="data:image/png;base64,%s" width="%d" height="%d" alt="%s"/>`+"\n", mainB64, w, h, html.EscapeString(f.String()))
	idx := SliderFrames(sl.Count)
	fw, fh := f.width/2, f.height/2
	fmt.Fprintf(&b, "<div>\n")
	label := sl.Label
	if label == "" {
		label = "frame"
	}
	for k, i := range idx {
		data, err := sl.Frame(i)
		if err != nil {
			return "", fmt.Errorf("slider frame %d of %s: %w", i, label, err)
		}
		small, err := NewFigure(fw, fh, 1, 1)
		if err != nil {
			return "", err
		}
		opts := im.opts
		opts.Slider = nil
		opts.Vmin, opts.Vmax = &im.vmin, &im.vmax // one colour scale for all frames
		sa := small.axes[0]
		if err := sa.Image(data, im.rows, im.cols, opts); err != nil {
			return "", fmt.Errorf("slider frame %d of %s: %w", i, label, err)
		}
		sa.Xlabel, sa.Ylabel = ax.Xlabel, ax.Ylabel
		name := fmt.Sprintf("%s %d", label, i)
		if sl.FrameLabel != nil {
			name = fmt.Sprintf("%s %d: %s", label, i, sl.FrameLabel(i))
		}
		sa.title = name
		png, err := small.PNG()
		if err != nil {
			return "", err
		}
		display := ""
		if k > 0 {
			display = ` style="display:none"`
		}
		pw, ph := small.PixelSize()
		fmt.Fprintf(&b, `<img class="gokist-frame" src="data:image/png;base64,%s" width="%d" height="%d" alt="%s"%s/>`+"\n",
			base64.StdEncoding.EncodeToString(png), pw, ph, html.EscapeString(name), display)
	}
	first := fmt.Sprintf("%s %d", label, idx[0])
	if sl.FrameLabel != nil {
		first = fmt.Sprintf("%s %d: %s", label, idx[0], sl.FrameLabel(idx[0]))
	}
	fmt.Fprintf(&b, `<br/><input type="range" min="0" max="%d" value="0" step="1" style="width:%dpx" `+
		`oninput="var d=this.parentNode.querySelectorAll('img.gokist-frame');for(var i=0;i<d.length;i++){d[i].style.display=(i==this.value)?'':'none';}this.nextElementSibling.textContent=d[this.value].alt;"/>`+
		`<span>%s</span>`+"\n", len(idx)-1, int(fw*DPI), html.EscapeString(first))
	if len(idx) < sl.Count {
		fmt.Fprintf(&b, "<div>%d of %d frames shown</div>\n", len(idx), sl.Count)
	}
	fmt.Fprintf(&b, "</div>\n</div>")
	return b.String(), nil
}
