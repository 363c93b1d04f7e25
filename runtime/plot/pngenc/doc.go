// Package pngenc owns the encoding of rendered figures as PNG for notebooks: speed
// before size. An opaque RGBA picture (every figure) is written with the Up filter on
// every row and its two halves deflated at once (opaque.go); anything else goes through
// image/png at its fastest level with pooled buffers. The pixels are always exact.
package pngenc
