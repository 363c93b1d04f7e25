package draw

import (
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"gokist/obj"
)

// Figure-level layout beyond the subplot grid: add_subplot/subplot with their own grids,
// suptitle, tight and constrained layout, shared axes and twin axes.

// empty reports whether nothing was drawn or set on the axes.
func (a *Axes) Empty() bool {
	return len(a.Lines) == 0 && len(a.Images) == 0 && len(a.Artists) == 0 && a.Cbar == nil &&
		a.title == "" && a.Xlabel == "" && a.Ylabel == ""
}

// gridOf is the axes' place: its own grid, else the figure's.
func (a *Axes) gridOf() gridPos {
	if a.grid != nil {
		return *a.grid
	}
	return gridPos{rows: a.Fig.rows, cols: a.Fig.cols, row: a.Row, col: a.Col}
}

// AddSubplot is fig.add_subplot(nrows, ncols, index) and plt.subplot: the axes at that
// place of an nrows×ncols grid (index from 1, row-major). An axes already there is
// returned (as plt.subplot does); the empty axes plt.figure() made stands aside.
func (f *Figure) AddSubplot(rows, cols, index int) (*Axes, error) {
	if rows < 1 || cols < 1 || rows*cols > 100 {
		return nil, obj.Errorf(obj.ValueError, "Number of rows must be a positive integer, not %d", rows).
			WithHint("subplot grids have 1 to 100 cells")
	}
	if index < 1 || index > rows*cols {
		return nil, obj.Errorf(obj.ValueError, "num must be 1 <= num <= %d, not %d", rows*cols, index)
	}
	pos := gridPos{rows: rows, cols: cols, row: (index - 1) / cols, col: (index - 1) % cols}
	f.Mu.Lock()
	for _, a := range f.axes {
		if a.gridOf() == pos {
			f.Mu.Unlock()
			f.Touch(a)
			return a, nil
		}
	}
	// The figure's own default axes, never drawn on, give way to the new grid.
	if len(f.axes) == 1 && f.axes[0].grid == nil && f.axes[0].Empty() && f.rows == 1 && f.cols == 1 && f.axes[0].twinOf == nil {
		f.axes = nil
	}
	a := &Axes{Fig: f, grid: &pos, Row: pos.row, Col: pos.col}
	f.axes = append(f.axes, a)
	f.Mu.Unlock()
	f.Touch(a)
	return a, nil
}

// subplotSpec reads add_subplot's and subplot's arguments: (nrows, ncols, index), a
// three-digit integer such as 221, or nothing (111).
func SubplotSpec(fn string, pos []any) (rows, cols, index int, err error) {
	ints := make([]int, len(pos))
	for i, v := range pos {
		n, ok := v.(int)
		if !ok {
			return 0, 0, 0, obj.Errorf(obj.TypeError, "%s(): subplot specification must be integers, not %s", fn, obj.TypeName(v))
		}
		ints[i] = n
	}
	switch len(ints) {
	case 0:
		return 1, 1, 1, nil
	case 1:
		n := ints[0]
		if n < 111 || n > 999 {
			return 0, 0, 0, obj.Errorf(obj.ValueError, "Integer subplot specification must be a three-digit number, not %d", n)
		}
		return n / 100, n / 10 % 10, n % 10, nil
	case 3:
		return ints[0], ints[1], ints[2], nil
	}
	return 0, 0, 0, obj.Errorf(obj.TypeError, "%s() takes 1 or 3 positional arguments but %d were given", fn, len(ints))
}

// share links the axes in groups: "all" (True), "row", "col" or "none" (False).
func ShareAxes(axes []*Axes, rows, cols int, mode string, x bool) {
	if mode == "none" {
		return
	}
	groups := map[int]*shareGroup{}
	for i, a := range axes {
		key := 0
		switch mode {
		case "row":
			key = i / cols
		case "col":
			key = i % cols
		}
		g := groups[key]
		if g == nil {
			g = &shareGroup{}
			groups[key] = g
		}
		g.members = append(g.members, a)
		if x {
			a.shareX = g
		} else {
			a.shareY = g
		}
	}
}

// shareMode reads sharex/sharey: True, False, 'all', 'row', 'col', 'none'.
func ShareMode(fn, name string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "none", nil
	case bool:
		if x {
			return "all", nil
		}
		return "none", nil
	case string:
		switch x {
		case "all", "row", "col", "none":
			return x, nil
		}
	}
	return "", obj.Errorf(obj.ValueError, "%s must be one of ['all', 'row', 'col', 'none'], got %s", name, PyStr(v))
}

// layoutMode reads figure(layout=...): None, 'tight', 'constrained' or 'compressed'
// (all but None fill the figure, as gokist's tight layout).
func LayoutMode(v any) (bool, error) {
	switch v {
	case nil, "none":
		return false, nil
	case "tight", "constrained", "compressed":
		return true, nil
	}
	lit := PyStr(v)
	if str, ok := v.(string); ok {
		lit = PyQuote(str)
	}
	return false, obj.Errorf(obj.ValueError, "Invalid value for 'layout': %s", lit).
		WithHint("use 'constrained', 'compressed', 'tight' or None")
}

// Twinx is ax.twinx(): axes over a sharing its x axis, with their own y axis on the
// right; their lines take the colour cycle on from a's.
func (a *Axes) Twinx() *Axes {
	f := a.Fig
	f.Mu.Lock()
	t := &Axes{Fig: f, grid: a.grid, Row: a.Row, Col: a.Col, twinOf: a, rightY: true, cycle: a.cycle}
	if a.shareX == nil {
		a.shareX = &shareGroup{members: []*Axes{a}}
	}
	a.shareX.members = append(a.shareX.members, t)
	t.shareX = a.shareX
	f.axes = append(f.axes, t)
	f.Mu.Unlock()
	f.Touch(t)
	return t
}

// Twiny makes axes over a sharing its y axis, with their own x axis drawn on the top
// spine (matplotlib's twiny): a second quantity along the same rows, e.g. wavelength
// below and Doppler velocity above.
func (a *Axes) Twiny() *Axes {
	f := a.Fig
	f.Mu.Lock()
	t := &Axes{Fig: f, grid: a.grid, Row: a.Row, Col: a.Col, twinOf: a, topX: true, cycle: a.cycle}
	if a.shareY == nil {
		a.shareY = &shareGroup{members: []*Axes{a}}
	}
	a.shareY.members = append(a.shareY.members, t)
	t.shareY = a.shareY
	f.axes = append(f.axes, t)
	f.Mu.Unlock()
	f.Touch(t)
	return t
}

// drawTopAxis draws the x ticks, tick labels and label of a twiny axes on the top spine
// of the data area da, from the ticks p's x axis chose.
func (a *Axes) drawTopAxis(da draw.Canvas, p *gplot.Plot) {
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	trX, _ := p.Transforms(&da)
	ls := draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
	labelH := vg.Length(0)
	for _, t := range ticks {
		x := trX(t.Value)
		if x < da.Min.X-0.5 || x > da.Max.X+0.5 {
			continue
		}
		length := vg.Points(3.5)
		if t.Label == "" {
			length = vg.Points(2)
		}
		da.StrokeLine2(ls, x, da.Max.Y, x, da.Max.Y+length)
		if t.Label != "" {
			st := textStyle(a.FontSize(TickFontSize), t.Label)
			st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
			da.FillText(st, vg.Point{X: x, Y: da.Max.Y + vg.Points(3.5+3.5)}, t.Label)
			labelH = max(labelH, st.Height(t.Label))
		}
	}
	if a.Xlabel != "" {
		st := textStyle(a.FontSize(LabelFontSize), a.Xlabel)
		st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
		da.FillText(st, vg.Point{X: (da.Min.X + da.Max.X) / 2, Y: da.Max.Y + vg.Points(7+4) + labelH}, a.Xlabel)
	}
}

// drawRightAxis draws the y ticks, tick labels and label of a twin axes on the right
// spine of the data area da, from the ticks p's y axis chose.
func (a *Axes) drawRightAxis(da draw.Canvas, p *gplot.Plot) {
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	_, trY := p.Transforms(&da)
	ls := draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
	maxW := vg.Length(0)
	for _, t := range ticks {
		y := trY(t.Value)
		if y < da.Min.Y-0.5 || y > da.Max.Y+0.5 {
			continue
		}
		length := vg.Points(3.5)
		if t.Label == "" {
			length = vg.Points(2)
		}
		da.StrokeLine2(ls, da.Max.X, y, da.Max.X+length, y)
		if t.Label != "" {
			st := textStyle(a.FontSize(TickFontSize), t.Label)
			st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
			da.FillText(st, vg.Point{X: da.Max.X + vg.Points(3.5+3.5), Y: y}, t.Label)
			maxW = max(maxW, st.Width(t.Label))
		}
	}
	if a.Ylabel != "" {
		st := textStyle(a.FontSize(LabelFontSize), a.Ylabel)
		st.Rotation = math.Pi / 2
		st.XAlign, st.YAlign = draw.XCenter, draw.YTop
		da.FillText(st, vg.Point{X: da.Max.X + vg.Points(7+4) + maxW, Y: (da.Min.Y + da.Max.Y) / 2}, a.Ylabel)
	}
}

// drawSuptitle draws the figure's title centred at the top, as fig.suptitle does (y =
// 0.98 of the height, top-aligned, 12 points).
func (f *Figure) drawSuptitle(dc draw.Canvas) {
	if f.Suptitle == "" {
		return
	}
	st := textStyle(f.SuptitleSize, f.Suptitle)
	st.XAlign, st.YAlign = draw.XCenter, draw.YTop
	W, H := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
	dc.FillText(st, vg.Point{X: dc.Min.X + W/2, Y: dc.Min.Y + 0.98*H}, f.Suptitle)
}
