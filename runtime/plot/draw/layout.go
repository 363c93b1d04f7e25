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
func (a *Axes) Twinx() *Axes { return a.twin(true) }

// Twiny makes axes over a sharing its y axis, with their own x axis drawn on the top
// spine (matplotlib's twiny): a second quantity along the same rows, e.g. wavelength
// below and Doppler velocity above.
func (a *Axes) Twiny() *Axes { return a.twin(false) }

// twin makes axes in a's grid cell that continue its colour cycle and share its x axis
// (sharingX: twinx, own y axis on the right) or its y axis (twiny, own x axis on top).
func (a *Axes) twin(sharingX bool) *Axes {
	f := a.Fig
	f.Mu.Lock()
	t := &Axes{Fig: f, grid: a.grid, Row: a.Row, Col: a.Col, twinOf: a, rightY: sharingX, topX: !sharingX, cycle: a.cycle}
	group, joined := &a.shareY, &t.shareY
	if sharingX {
		group, joined = &a.shareX, &t.shareX
	}
	if *group == nil {
		*group = &shareGroup{members: []*Axes{a}}
	}
	(*group).members = append((*group).members, t)
	*joined = *group
	f.axes = append(f.axes, t)
	f.Mu.Unlock()
	f.Touch(t)
	return t
}

// drawOuterAxis draws a twin's own axis outside the data area da, from the ticks p's
// axis chose: the x ticks, tick labels and label of a twiny on the top spine (top), or
// the y ones of a twinx on the right spine.
func (a *Axes) drawOuterAxis(da draw.Canvas, p *gplot.Plot, top bool) {
	trX, trY := p.Transforms(&da)
	axis, tr, label, lo, hi := &p.Y, trY, a.Ylabel, da.Min.Y, da.Max.Y
	if top {
		axis, tr, label, lo, hi = &p.X, trX, a.Xlabel, da.Min.X, da.Max.X
	}
	// at is the point d outside the spine at position v along it.
	at := func(v, d vg.Length) vg.Point {
		if top {
			return vg.Point{X: v, Y: da.Max.Y + d}
		}
		return vg.Point{X: da.Max.X + d, Y: v}
	}
	ls := draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
	depth := vg.Length(0) // how far the tick labels reach out: their height on top, width on the right
	for _, t := range axis.Tick.Marker.Ticks(axis.Min, axis.Max) {
		v := tr(t.Value)
		if v < lo-0.5 || v > hi+0.5 {
			continue
		}
		length := vg.Points(3.5)
		if t.Label == "" {
			length = vg.Points(2)
		}
		from, to := at(v, 0), at(v, length)
		da.StrokeLine2(ls, from.X, from.Y, to.X, to.Y)
		if t.Label != "" {
			st := textStyle(a.FontSize(TickFontSize), t.Label)
			if top {
				st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
			} else {
				st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
			}
			da.FillText(st, at(v, vg.Points(3.5+3.5)), t.Label)
			if top {
				depth = max(depth, st.Height(t.Label))
			} else {
				depth = max(depth, st.Width(t.Label))
			}
		}
	}
	if label != "" {
		st := textStyle(a.FontSize(LabelFontSize), label)
		st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
		if !top {
			st.Rotation = math.Pi / 2
			st.YAlign = draw.YTop
		}
		pt := vg.Point{X: (lo + hi) / 2, Y: da.Max.Y + vg.Points(7+4) + depth}
		if !top {
			pt = vg.Point{X: da.Max.X + vg.Points(7+4) + depth, Y: (lo + hi) / 2}
		}
		da.FillText(st, pt, label)
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
