package draw

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strings"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"gokist/obj"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
)

// Task is one executed chunk task for the task-stream chart: which worker ran it, what
// it was, and when it started and ended, in seconds since the computation began.
type Task struct {
	Worker     int
	Label      string
	Start, End float64
}

// Operation is the part of a task label that names its operation: the text before the
// first space, '(' or '-' followed by a digit ("read VISP_…" → "read", "sum-3" → "sum").
// Bars of one operation share a colour, as in dask's task stream.
func Operation(label string) string {
	s := label
	if i := strings.IndexAny(s, " ("); i >= 0 {
		s = s[:i]
	}
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '-' && s[i+1] >= '0' && s[i+1] <= '9' {
			return s[:i]
		}
	}
	if s == "" {
		return "task"
	}
	return s
}

// TaskStreamPNG draws tasks as horizontal bars, one row per worker, over time (seconds),
// coloured per operation with a legend, and returns the PNG of width×height pixels.
func TaskStreamPNG(tasks []Task, width, height int) ([]byte, error) {
	img, err := taskStreamImage(tasks, width, height)
	if err != nil {
		return nil, err
	}
	return EncodePNG(img)
}

func taskStreamImage(tasks []Task, width, height int) (img *image.RGBA, err error) {
	if len(tasks) == 0 {
		return nil, obj.Errorf(obj.ValueError, "no tasks to draw: run a compute() first")
	}
	if width < 50 || height < 50 || width > 10000 || height > 10000 {
		return nil, obj.Errorf(obj.ValueError, "task stream size must be 50 to 10000 pixels, got %dx%d", width, height)
	}
	minW, maxW, t0, t1 := math.MaxInt, math.MinInt, math.Inf(1), math.Inf(-1)
	var ops []string
	for _, t := range tasks {
		if !IsFinite(t.Start) || !IsFinite(t.End) || t.End < t.Start {
			return nil, obj.Errorf(obj.ValueError, "task %q has invalid times start=%g end=%g", t.Label, t.Start, t.End)
		}
		minW, maxW = min(minW, t.Worker), max(maxW, t.Worker)
		t0, t1 = math.Min(t0, t.Start), math.Max(t1, t.End)
		if op := Operation(t.Label); !containsString(ops, op) {
			ops = append(ops, op)
		}
	}
	sort.Strings(ops)
	opColors := map[string]color.NRGBA{}
	for i, op := range ops {
		opColors[op] = colors.ColorCycle[i%len(colors.ColorCycle)]
	}
	t0 = math.Min(t0, 0)
	if t1 <= t0 {
		t1 = t0 + 1e-3
	}

	img = image.NewRGBA(image.Rect(0, 0, width, height))
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	ctx.SetInterpolator(xdraw.NearestNeighbor)
	defer recoverRender(&err, false)
	c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(DPI))
	dc := draw.New(c)

	p := gplot.New()
	p.BackgroundColor = nil
	p.Title.Text = fmt.Sprintf("Task stream: %d tasks on %d workers", len(tasks), maxW-minW+1)
	p.Title.TextStyle = textStyle(TitleFontSize, p.Title.Text)
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = draw.XCenter, draw.YTop
	p.X.Label.Text, p.Y.Label.Text = "time [s]", "worker"
	var xrec, yrec axis.TickRecorder
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Padding = 0
		ax.Tick.Label.Font = font.From(sansFont, TickFontSize)
		ax.Tick.Label.Handler = plainHandler
		ax.Label.TextStyle.Font = font.From(sansFont, LabelFontSize)
		ax.Label.TextStyle.Handler = plainHandler
		ax.Tick.Length = vg.Points(3.5)
	}
	p.X.Min, p.X.Max = t0, t1+(t1-t0)*0.02
	p.Y.Min, p.Y.Max = float64(minW)-0.6, float64(maxW)+0.6
	p.X.Tick.Marker = axis.LinearTicker{N: 6, Rec: &xrec}
	p.Y.Tick.Marker = gplot.TickerFunc(func(lo, hi float64) []gplot.Tick {
		var ts []gplot.Tick
		step := max(1, (maxW-minW+1)/12)
		for w := minW; w <= maxW; w += step {
			ts = append(ts, gplot.Tick{Value: float64(w), Label: fmt.Sprint(w)})
		}
		return yrec.Record(ts)
	})
	p.Add(&taskBars{tasks: tasks, colors: opColors}, &framePlotter{})

	main := draw.Crop(dc, vg.Points(6), -vg.Points(6), vg.Points(4), -vg.Points(6))
	legendW := vg.Length(0)
	st := textStyle(TickFontSize, "")
	for _, op := range ops {
		legendW = max(legendW, st.Width(op))
	}
	legendW += vg.Points(30)
	main = draw.Crop(main, 0, -legendW, 0, 0)
	p.Draw(main)

	// Legend: a colour swatch and the operation name per row, right of the chart.
	x := main.Max.X + vg.Points(8)
	y := main.Max.Y - vg.Points(TickFontSize*2)
	st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
	for _, op := range ops {
		sw := vg.Rectangle{Min: vg.Point{X: x, Y: y - vg.Points(4)}, Max: vg.Point{X: x + vg.Points(12), Y: y + vg.Points(4)}}
		dc.SetColor(opColors[op])
		dc.Fill(sw.Path())
		dc.FillText(st, vg.Point{X: x + vg.Points(16), Y: y}, op)
		y -= vg.Points(TickFontSize * 1.5)
	}
	return img, nil
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// taskBars draws one bar per task: worker w spans w±0.4 on the y axis.
type taskBars struct {
	tasks  []Task
	colors map[string]color.NRGBA
}

// Plot implements plot.Plotter.
func (tb *taskBars) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, t := range tb.tasks {
		x0, x1 := trX(t.Start), trX(t.End)
		if x1-x0 < vg.Points(0.75) {
			x1 = x0 + vg.Points(0.75) // keep very short tasks visible
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: trY(float64(t.Worker) - 0.4)}, Max: vg.Point{X: x1, Y: trY(float64(t.Worker) + 0.4)}}
		c.SetColor(tb.colors[Operation(t.Label)])
		c.Fill(r.Path())
	}
}
