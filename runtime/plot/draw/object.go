package draw

import (
	"encoding/base64"

	"gokist/obj"
)

// FigureType and AxesType are the Python types of figures and axes. Their member tables
// are Python's face of the figure (package plot), which sets them when it loads.
var FigureType, AxesType *obj.Type

// Release drops the figure's series, which hold its image pixels and line points.
func (f *Figure) Release() {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for _, a := range f.Axes() {
		a.Lines, a.Images, a.Artists, a.Cbar = nil, nil, nil, nil
	}
}

// DisplayBundle renders the figure for a notebook: image/png (base64), text/plain (the
// repr), and for axes with a Slider, text/html holding the figure and the slider; the
// metadata gives the PNG's pixel size. When only the slider's frames fail, the bundle
// without text/html is returned along with the error.
func (f *Figure) DisplayBundle() (bundle, metadata map[string]any, err error) {
	pngBytes, err := f.PNG()
	if err != nil {
		return nil, nil, err
	}
	w, h := f.PixelSize()
	b64 := base64.StdEncoding.EncodeToString(pngBytes)
	bundle = map[string]any{"image/png": b64, "text/plain": f.String()}
	metadata = map[string]any{"image/png": map[string]any{"width": w, "height": h}}
	if html, err := f.SliderHTML(b64); err != nil {
		return bundle, metadata, err
	} else if html != "" {
		bundle["text/html"] = html
	}
	return bundle, metadata, nil
}

// IsPlotHandle marks a Figure as a plot handle.
func (f *Figure) IsPlotHandle() bool { return true }

// IsPlotHandle marks Axes as a plot handle.
func (a *Axes) IsPlotHandle() bool { return true }

// MimeBundle implements obj.MimeBundler with the repr.
func (f *Figure) MimeBundle() map[string]any { return map[string]any{"text/plain": f.String()} }

// MimeBundle implements obj.MimeBundler with the repr.
func (a *Axes) MimeBundle() map[string]any { return map[string]any{"text/plain": a.String()} }

// Type implements obj.Object.
func (f *Figure) Type() *obj.Type { return FigureType }

// Type implements obj.Object.
func (a *Axes) Type() *obj.Type { return AxesType }
