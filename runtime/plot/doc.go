// Package plot owns gokist's figures: a matplotlib-like model of figures, axes, line and
// image series rendered to PNG and SVG with gonum.org/v1/plot; the session's `plt`
// namespace (Pyplot) with inline-notebook figure lifetime (FlushCell); the 256-entry
// colour maps; the HTML slider for 3-D data; and the executor's task-stream chart.
// It knows nothing of Datasets: runtime converts its arrays through Float64Data.
//
// Data flow: a plot call (plt.plot, ds.plot, imshow) adds a series to the current Axes of
// a Figure; at the end of the cell the session's FlushCell renders every figure drawn on
// to PNG (render.go) and sends it once as display data; savefig renders on demand.
package plot
