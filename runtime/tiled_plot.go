package runtime

// This file draws a TiledDataset as current dkist's TiledDataset.plot does: the same
// slice of every tile as an image, one axes per tile in a grid laid out as the mosaic
// (first grid index along x, second along y, filled from the bottom row), with an
// optional shared colour scale and a title naming the dataset and the slice.

import (
	"fmt"
	"gokist/runtime/numpy"
	"math"
	"strings"
	"time"

	"gokist/obj"
	"gokist/runtime/plot"
	"gokist/runtime/plot/draw"
	"gokist/runtime/wcs"
)

var tiledPlotParams = []obj.Param{
	{Name: "slice_index"}, {Name: "share_zscale", Default: "False"}, {Name: "figure", Default: "None"},
	{Name: "swap_tile_limits", Default: "None"},
}

func tiledPlotMember() *obj.Member {
	return &obj.Member{
		Name: "plot", Signature: "plot(slice_index, share_zscale=False, figure=None, swap_tile_limits=None)",
		Doc: "Plot the same slice of every tile, one axes per tile in the mosaic's grid. slice_index must leave each tile 2-D " +
			"(pass ... when they are); share_zscale=True gives every tile one colour scale; figure= draws on that figure " +
			"(default: the current one); swap_tile_limits 'x', 'y' or 'xy' inverts each tile's axis limits. Returns the figure.",
		Params: tiledPlotParams,
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			v, err := args.Bind("plot", tiledPlotParams)
			if err != nil {
				return nil, err
			}
			share, ok := v[1].(bool)
			if !ok && v[1] != nil {
				return nil, obj.Errorf(obj.TypeError, "plot(): share_zscale must be True or False, not %s", obj.TypeName(v[1]))
			}
			swap, _ := v[3].(string)
			if v[3] != nil && swap != "x" && swap != "y" && swap != "xy" {
				return nil, obj.Errorf("RuntimeError", "swap_tile_limits must be one of ['x', 'y', 'xy', None]")
			}
			return recv.(*TiledDataset).plot(env, v[0], share, v[2], swap)
		},
	}
}

// tileImage is one tile's image, computed, with its world-coordinate labels.
type tileImage struct {
	col, row int
	data     []float64
	opts     draw.ImageOptions
	rows     int
	cols     int
}

func (t *TiledDataset) plot(env *obj.Env, sliceIndex any, share bool, figure any, swap string) (any, error) {
	if len(t.shape) != 2 {
		return nil, obj.Errorf(obj.ValueError, "plot() draws a two-dimensional grid of tiles; this TiledDataset's grid has shape %s", tupleText(t.shape))
	}
	key := sliceIndex
	sliced, err := tileSlicer{t}.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	st := sliced.(*TiledDataset)
	first := st.firstTile()
	if nd := len(first.Shape()); nd != 2 {
		return nil, obj.Errorf(obj.ValueError, "Applying slice '%s' to this dataset resulted in a %d dimensional dataset, you should pass a slice which results in a 2D dataset for each tile.", tileSliceText(sliceIndex), nd)
	}
	ncols, nrows := st.shape[0], st.shape[1]
	var images []tileImage
	lo, hi := math.Inf(1), math.Inf(-1)
	for col := range ncols {
		for row := range nrows {
			ds := st.tiles[col*nrows+row]
			if ds == nil {
				continue
			}
			a, err := numpy.ComputeForPlot(env, ds.Node)
			if err != nil {
				return nil, err
			}
			shape := ds.Shape()
			img := tileImage{col: col, row: row, data: a.Floats(), rows: shape[0], cols: shape[1]}
			src := plotSource{node: ds.Node, wcs: ds.WorldCoords, names: ds.AxisNames, bunit: ds.bunit()}
			src.labelImageAxes(&img.opts, 0, 1, img.rows, img.cols)
			for _, x := range img.data {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
			images = append(images, img)
		}
	}
	fig, err := figureArg(env, figure)
	if err != nil {
		return nil, err
	}
	for _, img := range images {
		ax, err := fig.AddSubplot(nrows, ncols, (nrows-img.row-1)*ncols+img.col+1)
		if err != nil {
			return nil, err
		}
		opts := img.opts
		opts.Origin = "lower"
		if share && lo <= hi {
			opts.Vmin, opts.Vmax = &lo, &hi
		}
		// Only the bottom-left tile keeps its axis titles, as dkist puts one label on
		// each side of the figure.
		if img.col != 0 || img.row != 0 {
			opts.XLabel, opts.YLabel = " ", " "
		}
		if err := ax.Image(img.data, img.rows, img.cols, opts); err != nil {
			return nil, err
		}
		if err := swapLimits(ax, swap); err != nil {
			return nil, err
		}
	}
	return fig, setSuptitle(env, fig, st.plotTitle(env, sliceIndex))
}

// swapLimits inverts an axes' x and/or y limits.
func swapLimits(ax *draw.Axes, swap string) error {
	if strings.Contains(swap, "x") {
		l, r := ax.XLim()
		if err := ax.SetXLim(r, l); err != nil {
			return err
		}
	}
	if strings.Contains(swap, "y") {
		b, t := ax.YLim()
		return ax.SetYLim(t, b)
	}
	return nil
}

// figureArg is figure=: a Figure, or None for the current one.
func figureArg(env *obj.Env, v any) (*draw.Figure, error) {
	if v != nil {
		f, ok := v.(*draw.Figure)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "plot(): figure must be a Figure (plt.figure()), not %s", obj.TypeName(v))
		}
		return f, nil
	}
	p, err := plot.FromEnv(env)
	if err != nil {
		return nil, err
	}
	return p.GCF(), nil
}

// setSuptitle is fig.suptitle(title).
func setSuptitle(env *obj.Env, fig *draw.Figure, title string) error {
	m := fig.Type().Member("suptitle")
	if m == nil {
		return nil
	}
	_, err := m.Call(env, fig, obj.Args{Pos: []any{title}})
	return err
}

// plotTitle is dkist's title: the instrument, the dataset id, the world coordinates the
// slice fixed and the slice.
func (t *TiledDataset) plotTitle(env *obj.Env, sliceIndex any) string {
	inst, id := t.instrument, t.datasetID
	if t.inventory != nil {
		if v, ok := t.inventory.Get("instrumentName"); ok {
			inst = fmt.Sprint(v)
		}
		if v, ok := t.inventory.Get("datasetId"); ok {
			id = fmt.Sprint(v)
		}
	}
	var at []string
	if gc, err := globalCoordsOf(t.firstTile()); err == nil {
		for i := len(gc.coords) - 1; i >= 0; i-- {
			c := gc.coords[i]
			value := fmt.Sprint(c.Value)
			if iso := isoOf(env, c.Value); iso != "" {
				value = iso
			} else if m, ok := c.Value.(obj.MimeBundler); ok {
				value, _ = m.MimeBundle()["text/plain"].(string)
			}
			at = append(at, c.Name+" "+value)
		}
	}
	return fmt.Sprintf("%s Dataset (%s) at %s (slice=%s)", inst, id, strings.Join(at, ", "), tileSliceText(sliceIndex))
}

// isoOf is a time value's iso attribute, "" for other values.
func isoOf(env *obj.Env, v any) string {
	if t, ok := v.(*wcs.Time); ok {
		return t.T.UTC().Round(time.Millisecond).Format("2006-01-02 15:04:05.000")
	}
	o, ok := v.(obj.Object)
	if !ok {
		return ""
	}
	m := o.Type().Member("iso")
	if m == nil || m.Get == nil {
		return ""
	}
	s, err := m.Get(env, v)
	if err != nil {
		return ""
	}
	str, _ := s.(string)
	return str
}

// tileSliceText writes a slice index as dkist's title does (":" for a whole axis).
func tileSliceText(v any) string {
	switch k := v.(type) {
	case obj.Tuple:
		parts := make([]string, len(k))
		for i, x := range k {
			parts[i] = tileSliceText(x)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case obj.Slice:
		return strings.ReplaceAll(k.String(), "slice(None, None, None)", ":")
	case obj.EllipsisType:
		return "Ellipsis"
	}
	return numpy.ShortRepr(v)
}
