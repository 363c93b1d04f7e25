// Package plot is the Python face of gokist's figures: the session's `plt` namespace
// (Pyplot, pyplot.go) with inline-notebook figure lifetime (FlushCell), the member tables
// of figures and axes (members.go), the artists' Python calls and their keyword decoding
// (artists_py.go, grid.go), matplotlib.colors (modules.go) and the
// conversion of Python values to numbers (data.go). What a figure is and how it is drawn
// is package draw's; rcParams are package rcparams'; the geometry of gridded data
// (cell edges, contour levels, marching squares) is package mesh'. This package decodes
// Python arguments into their calls.
// It knows nothing of Datasets: runtime converts its arrays through Float64Data.
//
// Data flow: a plot call (plt.plot, ds.plot, imshow) adds a series to the current Axes of
// a draw.Figure; at the end of the cell the session's FlushCell renders every figure drawn
// on to PNG and sends it once as display data; savefig renders on demand.
package plot
