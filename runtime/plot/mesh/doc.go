// Package mesh owns the geometry of gridded data that pcolormesh, contour and contourf
// draw, in plain Go numbers: cell centres and edges along an axis (matplotlib's
// shading='nearest' edges, _interp_grid's corners of a curvilinear grid, numpy's
// meshgrid), the test for rectilinear 2-D coordinates, contour levels as matplotlib's
// _autolev picks them with MaxNLocator, iso-lines by marching squares, and the band
// values and bilinear interpolation of filled contours.
//
// Data flow: package plot decodes a cell's ([X, Y,] Z) arguments and keywords, calls
// these to build the vertices, levels and segments, and hands them to package draw's
// artists (QuadMesh, line collections).
package mesh
