// Package worldgrid owns the world-coordinate grid of an image whose two pixel axes map
// jointly to two world coordinates (a rotated celestial pair), computed as astropy's
// WCSAxes computes it: the tick values of each coordinate, where they cross the view's
// edges, their labels, and the curves of the grid lines. It is plain geometry on a
// pixel→world function; package draw ticks and strokes what it gives.
package worldgrid
