// Package arrayprint is numpy's array printing (numpy.core.arrayprint) for gokist's
// in-memory arrays (lazy.Array): repr and str with numpy's print options (75 columns,
// summarised past 1000 elements with three at each edge), its float formatters
// (positional or scientific, as numpy chooses them from the values shown) and the
// element layout the other faces' reprs reuse (Quantity's, Time's string arrays,
// coordinates' structured values). It knows no Python values: runtime/numpy gives
// NDArray its repr and str through it.
package arrayprint
