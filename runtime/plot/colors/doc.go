// Package colors owns how gokist's figures turn values into colours, as
// matplotlib.colors and matplotlib.cm do: colour specifications (names, "C0".."C9",
// hex, grey levels, RGB(A) tuples; colors.go), norms (Normalize, LogNorm, CenteredNorm,
// TwoSlopeNorm) and their resolution against an image's data into a Scaler (norm.go),
// and matplotlib's colour maps (colormap.go over the generated colormaps_gen.go, made by
// gen_colormaps.py from matplotlib itself).
//
// Data flow: the Python face (package plot) decodes a norm or a colour map name; package
// draw resolves the norm against the data (ResolveNorm) and colours the pixels
// (Colormap.ColorizeNorm). It imports no other package of the plot tree.
package colors
