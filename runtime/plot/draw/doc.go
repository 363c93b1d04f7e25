// Package draw owns what a gokist figure is and how it is drawn: figures, axes and their
// layout (figure.go, layout.go), line, image and patch artists (artists.go, quadmesh.go),
// line styles and markers (style.go, glyphs.go), and the rendering to PNG, SVG and PDF
// with gonum.org/v1/plot (render.go), plus the HTML slider for 3-D data and the
// executor's task-stream chart. Colours, norms and colour maps are package colors';
// axis scales, autoscaling and tickers are package axis'.
//
// It takes Go values (floats, strings, options structs); decoding Python arguments is
// package plot's. A figure's Owner (plot's Pyplot) is told when it is drawn on and answers
// rcParams; FigureType and AxesType are the Python types plot gives figures and axes.
package draw
