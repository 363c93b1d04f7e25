// Package rcparams owns matplotlib.rcParams for a gokist session: the parameters gokist
// honours with matplotlib's defaults and validators (figure size and dpi, savefig dpi
// and format, font size, line width, marker size, the default colour map, grids, the
// open-figures warning), the dict-like Python value cells read and assign
// (plt.rcParams[key]), plt.rc(group, **kw) and the plt.rc_context context manager that
// puts the values back on exit.
//
// Data flow: package plot's Pyplot keeps one RCParams per session and hands it to the
// cell (plt.rcParams); figures read their defaults through Pyplot.RCValue when they are
// made and drawn. Validation reuses package draw's figure-size limits and package
// colors' colour-map names.
package rcparams
