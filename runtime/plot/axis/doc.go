// Package axis owns what one axis of a gokist plot does with numbers, as matplotlib.scale
// and matplotlib.ticker do: the axis scale ("linear", "log", "symlog") that maps data
// onto gonum/plot's linear render coordinate and back (Scale, Coords; scale.go), the
// data span and matplotlib's autoscaling of it into limits (Span, Autoscale), and the
// tickers that choose and label ticks (ticks.go: round linear values as MaxNLocator,
// decades on log axes, world values on an image's pixel axis, a caller's formatter),
// recording what they labelled (TickRecorder) so that callers and tests can read it.
//
// Data flow: package draw collects each artist's Span, asks Autoscale for the limits,
// maps points through Coords and hands a ticker to gonum/plot, which calls Ticks while
// it draws. The package takes and returns Go numbers only and knows nothing of figures.
package axis
