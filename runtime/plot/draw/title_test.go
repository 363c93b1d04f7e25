package draw

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestFitTitleSmallFrames checks that a slider frame's long title fits the half-size
// frame: shrunk or broken at spaces into lines each no wider than the cell, with every
// word kept in order; a short title keeps the default size.
func TestFitTitleSmallFrames(t *testing.T) {
	f, err := NewFigure(6.4, 4.8, 1, 1) // matplotlib's default figure size
	if err != nil {
		t.Fatal(err)
	}
	half := vg.Length(f.width/2) * vg.Inch
	long := "raster scan step number 34: helioprojective longitude = -123.456 arcsec"
	if w := textStyle(TitleFontSize, long).Width(long); w <= half {
		t.Fatalf("the long title (%.1f pt) fits the frame (%.1f pt) unchanged: the test would prove nothing", w, half)
	}
	text, st := fitTitle(long, half, TitleFontSize)
	t.Logf("fitted at %v: %q", st.Font.Size, text)
	if got, want := strings.Fields(text), strings.Fields(long); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fitted title %q lost words of %q", text, long)
	}
	for _, line := range strings.Split(text, "\n") {
		if w := st.Width(line); w > half {
			t.Errorf("title line %q is %.1f pt wide, the frame %.1f pt", line, w, half)
		}
	}
	if st.Font.Size < minTitleFontSize {
		t.Errorf("title shrunk to %v", st.Font.Size)
	}
	// Narrower still, the title is broken into lines (after the ": " first).
	narrow := half / 2
	wrapped, wst := fitTitle(long, narrow, TitleFontSize)
	lines := strings.Split(wrapped, "\n")
	if len(lines) < 2 || !strings.HasSuffix(lines[0], "34:") || strings.Join(strings.Fields(wrapped), " ") != long {
		t.Errorf("title for a %.0f pt frame: %q", narrow, wrapped)
	}
	for _, line := range lines {
		if w := wst.Width(line); w > narrow {
			t.Errorf("wrapped line %q is %.1f pt wide, the frame %.1f pt", line, w, narrow)
		}
	}
	short, sst := fitTitle("raster 3", half, TitleFontSize)
	if short != "raster 3" || sst.Font.Size != TitleFontSize {
		t.Errorf("short title changed: %q at %v", short, sst.Font.Size)
	}
	// The frame renders with its fitted title.
	frame, _ := NewFigure(f.width/2, f.height/2, 1, 1)
	frame.axes[0].title = long
	if _, err := frame.PNG(); err != nil {
		t.Fatal(err)
	}
}
