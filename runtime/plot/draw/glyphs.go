package draw

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// polyGlyph is a filled polygon marker given by unit-radius vertices.
type polyGlyph []vg.Point

// DrawGlyph implements draw.GlyphDrawer.
func (g polyGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	for i, v := range g {
		q := vg.Point{X: pt.X + v.X*sty.Radius, Y: pt.Y + v.Y*sty.Radius}
		if i == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
}

// regular returns the vertices of an n-pointed shape starting at angle a0 (radians);
// with inner > 0 it alternates outer and inner radii (a star).
func regular(n int, a0, inner float64) polyGlyph {
	var g polyGlyph
	step := 2 * math.Pi / float64(n)
	for i := range n {
		a := a0 + float64(i)*step
		g = append(g, vg.Point{X: vg.Length(math.Cos(a)), Y: vg.Length(math.Sin(a))})
		if inner > 0 {
			b := a + step/2
			g = append(g, vg.Point{X: vg.Length(inner * math.Cos(b)), Y: vg.Length(inner * math.Sin(b))})
		}
	}
	return g
}

var (
	triangleUp    = regular(3, math.Pi/2, 0)
	triangleDown  = regular(3, -math.Pi/2, 0)
	triangleLeft  = regular(3, math.Pi, 0)
	triangleRight = regular(3, 0, 0)
	diamond       = regular(4, 0, 0)
	thinDiamond   = polyGlyph{{X: 0.6}, {Y: 1}, {X: -0.6}, {Y: -1}}
	star          = regular(5, math.Pi/2, 0.4)
)

// glyphFor maps a matplotlib marker code to a gonum glyph drawer; "" gives nil.
func glyphFor(marker string) draw.GlyphDrawer {
	switch marker {
	case "o", ".", ",":
		return draw.CircleGlyph{}
	case "s":
		return draw.BoxGlyph{}
	case "^":
		return triangleUp
	case "v":
		return triangleDown
	case "<":
		return triangleLeft
	case ">":
		return triangleRight
	case "D":
		return diamond
	case "d":
		return thinDiamond
	case "*":
		return star
	case "+":
		return draw.PlusGlyph{}
	case "x":
		return draw.CrossGlyph{}
	}
	return nil
}
