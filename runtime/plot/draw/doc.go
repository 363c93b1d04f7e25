// Package draw owns what a gokist figure is and how it is drawn: figures, axes and their
// layout (figure.go, layout.go), line, image and patch artists (artists.go), ticks, scales
// and norms (ticks.go, scale.go, norm.go), matplotlib's colour maps (colormap.go and the
// generated colormaps_gen.go), colours and line styles (style.go), and the rendering to
// PNG, SVG and PDF with gonum.org/v1/plot (render.go), plus the HTML slider for 3-D data
// and the executor's task-stream chart.
//
// It takes Go values (floats, strings, options structs); decoding Python arguments is
// package plot's. A figure's Owner (plot's Pyplot) is told when it is drawn on and answers
// rcParams; FigureType and AxesType are the Python types plot gives figures and axes.
package draw
