package arrayprint

import (
	"fmt"
	"gokist/runtime/lazy"
	"math"
	"strconv"
	"strings"
)

// numpy's print options that gokist's array text follows: the line width, how many
// elements make an array summarised, and how many are shown at each edge then.
const (
	PrintLineWidth = 75
	PrintThreshold = 1000
)

// formatArray renders a like numpy's repr: array([...]) with summarisation beyond 1000
// elements, and the dtype when it is not a default one (float32), on a line of its own
// when it would push the last line past 75 columns.
func FormatArray(a *lazy.Array) string {
	if a.Size() == 0 && len(a.Dims) > 0 {
		return formatEmptyArray(a)
	}
	summarise := a.Size() > PrintThreshold
	fmtv := ValueFormatter(a, summarise)
	const prefix = "array("
	showDType := a.DT == lazy.Float32
	// numpy ends the text with ")" or, before the dtype, ","; either takes a column off
	// the elements' lines.
	suffix := ")"
	if showDType {
		suffix = ","
	}
	var text string
	if len(a.Dims) == 0 {
		text = prefix + fmtv(a.At(0)) + suffix
	} else {
		text = prefix + FormatElements(a, fmtv, summarise, ", ", len(prefix), PrintLineWidth-len(suffix)) + suffix
	}
	if !showDType {
		return text
	}
	dtype := "dtype=" + a.DT.String() + ")"
	lastLine := len(text) - (strings.LastIndexByte(text, '\n') + 1)
	if lastLine+1+len(dtype) > PrintLineWidth {
		return text + "\n" + strings.Repeat(" ", len(prefix)) + dtype
	}
	return text + " " + dtype
}

// formatArrayStr renders a like numpy's str (what print shows): the elements of the
// repr separated by spaces, without "array(" or the dtype.
func FormatArrayStr(a *lazy.Array) string {
	if a.Size() == 0 {
		return "[]"
	}
	summarise := a.Size() > PrintThreshold
	fmtv := ValueFormatter(a, summarise)
	if len(a.Dims) == 0 {
		return fmtv(a.At(0))
	}
	return FormatElements(a, fmtv, summarise, " ", 0, PrintLineWidth)
}

// formatElements lays out the nested brackets of a as numpy's _formatArray does: rows of
// elements joined by sep and wrapped before lineWidth, continuation lines indented past
// the brackets and a prefix of prefixLen columns, blank lines between blocks of higher
// axes, and "..." for the middle of summarised axes.
func FormatElements(a *lazy.Array, fmtv func(float64) string, summarise bool, sep string, prefixLen, lineWidth int) string {
	nd := len(a.Dims)
	st := lazy.StridesOf(a.Dims)
	trimmedSep := strings.TrimRight(sep, " ")
	var rec func(axis, off int, hanging string, width int) string
	rec = func(axis, off int, hanging string, width int) string {
		if axis == nd {
			return fmtv(a.At(off))
		}
		left := nd - axis
		nextHanging, nextWidth := hanging+" ", width-1 // the "[" and "]" of this axis
		head, tail := shownIndices(a.Dims[axis], summarise)
		items := append(head, tail...)
		elided := len(head) // "..." goes before items[elided] when tail != nil
		var s strings.Builder
		if left == 1 {
			elemWidth := width - max(len(trimmedSep), 1)
			line := hanging
			for k, i := range items {
				if tail != nil && k == elided {
					line = extendLine(&s, line, "...", elemWidth, hanging) + sep
				}
				line = extendLine(&s, line, rec(axis+1, off+i*st[axis], nextHanging, nextWidth), elemWidth, hanging)
				if k < len(items)-1 {
					line += sep
				}
			}
			s.WriteString(line)
		} else {
			lineSep := trimmedSep + strings.Repeat("\n", left-1)
			for k, i := range items {
				if tail != nil && k == elided {
					s.WriteString(hanging + "..." + lineSep)
				}
				s.WriteString(hanging + rec(axis+1, off+i*st[axis], nextHanging, nextWidth))
				if k < len(items)-1 {
					s.WriteString(lineSep)
				}
			}
		}
		return "[" + s.String()[len(hanging):] + "]"
	}
	return rec(0, 0, strings.Repeat(" ", 1+prefixLen), lineWidth)
}

// extendLine appends word to line, first moving line to s and starting a new one at
// nextPrefix when the word would pass width (unless the line holds nothing yet, where
// wrapping would not help), as numpy's _extendLine; it returns the line.
func extendLine(s *strings.Builder, line, word string, width int, nextPrefix string) string {
	if len(line)+len(word) > width && len(line) > len(nextPrefix) {
		s.WriteString(strings.TrimRight(line, " ") + "\n")
		line = nextPrefix
	}
	return line + word
}

// formatEmptyArray renders an array with no elements as numpy's repr does: the dtype is
// always named (nothing shows it otherwise), and the shape too unless it is (0,), since
// "[]" alone cannot say how many axes there are or which is empty.
func formatEmptyArray(a *lazy.Array) string {
	extras := ""
	if len(a.Dims) != 1 {
		dims := make([]string, len(a.Dims))
		for i, d := range a.Dims {
			dims[i] = strconv.Itoa(d)
		}
		extras = ", shape=(" + strings.Join(dims, ", ") + ")"
	}
	return "array([]" + extras + ", dtype=" + a.DT.String() + ")"
}

// shownIndices gives the indices printed along an axis of size n (edge items when summarising).
func shownIndices(n int, summarise bool) (head, tail []int) {
	if summarise && n > 6 {
		return []int{0, 1, 2}, []int{n - 3, n - 2, n - 1}
	}
	head = make([]int, n)
	for i := range head {
		head[i] = i
	}
	return head, nil
}

// valueFormatter chooses numpy's float format for the shown values: integers print as
// "1.", others with up to 8 decimals aligned, or scientific for wide ranges.
func ValueFormatter(a *lazy.Array, summarise bool) func(float64) string {
	if a.DT == lazy.Bool {
		return func(v float64) string {
			if v != 0 {
				return " True"
			}
			return "False"
		}
	}
	// numpy sizes the columns by the values it shows, not by the elided ones.
	var shown []float64
	if summarise {
		shown = ShownValues(a)
	} else {
		shown = a.Floats()
	}
	if a.DT == lazy.Int64 {
		w := 1
		for _, v := range shown {
			w = max(w, len(strconv.FormatInt(int64(v), 10)))
		}
		return func(v float64) string { return fmt.Sprintf("%*d", w, int64(v)) }
	}
	bits := 64
	if a.DT == lazy.Float32 {
		bits = 32
	}
	var finite []float64
	for _, v := range shown {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			finite = append(finite, v)
		}
	}
	maxAbs, minAbs := 0.0, math.Inf(1)
	for _, v := range finite {
		av := math.Abs(v)
		maxAbs = max(maxAbs, av)
		if av > 0 {
			minAbs = min(minAbs, av)
		}
	}
	if maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs > 0) || (minAbs > 0 && maxAbs/minAbs > 1e3) {
		return scientificFormatter(shown, finite, bits)
	}
	return positionalFormatter(shown, len(finite) != len(shown), bits)
}

// specialFloat is numpy's text for nan and ±inf.
func specialFloat(v float64) (string, bool) {
	switch {
	case math.IsNaN(v):
		return "nan", true
	case math.IsInf(v, 1):
		return "inf", true
	case math.IsInf(v, -1):
		return "-inf", true
	}
	return "", false
}

// scientificFormatter prints floats as numpy's scientific mode does: the fewest
// mantissa digits (at most 8) that tell the finite values apart, one exponent width,
// right-aligned in a column as wide as the widest shown value.
func scientificFormatter(shown, finite []float64, bits int) func(float64) string {
	prec := 0
	for _, v := range finite {
		s := strconv.FormatFloat(v, 'e', -1, bits)
		m := s[:strings.IndexByte(s, 'e')]
		if i := strings.IndexByte(m, '.'); i >= 0 && len(m)-i-1 > 8 {
			// numpy rounds to 8 digits and drops the trailing zeros that leaves:
			// 6.123233995736766e-17 shows as 6.123234e-17.
			s = strconv.FormatFloat(v, 'e', 8, bits)
			m = strings.TrimRight(s[:strings.IndexByte(s, 'e')], "0")
		}
		if i := strings.IndexByte(m, '.'); i >= 0 {
			prec = max(prec, min(8, len(m)-i-1))
		}
	}
	// numpy keeps the point of a bare mantissa ("1.e-05") and gives every exponent as
	// many digits as the longest one has.
	expDigits := 2
	for _, v := range finite {
		s := strconv.FormatFloat(v, 'e', prec, bits)
		expDigits = max(expDigits, len(s)-strings.IndexByte(s, 'e')-2)
	}
	out := func(v float64) string {
		if s, ok := specialFloat(v); ok {
			return s
		}
		s := strconv.FormatFloat(v, 'e', prec, bits)
		e := strings.IndexByte(s, 'e')
		mant, sign, digits := s[:e], s[e+1:e+2], s[e+2:]
		if prec == 0 {
			mant += "."
		}
		return mant + "e" + sign + strings.Repeat("0", expDigits-len(digits)) + digits
	}
	w := 0
	for _, v := range shown {
		w = max(w, len(out(v)))
	}
	return func(v float64) string { return fmt.Sprintf("%*s", w, out(v)) }
}

// positionalFormatter prints floats as numpy's positional mode does: integer parts
// right-aligned, fractions left-aligned, nan and inf right-aligned in a column that
// widens to hold them (hasSpecial: some shown value is one).
func positionalFormatter(shown []float64, hasSpecial bool, bits int) func(float64) string {
	split := func(v float64) (string, string) {
		s := strconv.FormatFloat(v, 'f', -1, bits)
		if r := strconv.FormatFloat(v, 'f', 8, bits); len(s) > len(r) {
			s = strings.TrimRight(r, "0")
		}
		if math.Abs(v) >= 1<<24 && bits == 32 {
			// float32 values from 2**24 on are whole numbers whose shortest digits end in
			// zeros (67328020); numpy's positional mode prints their exact digits (67328016).
			s = strconv.FormatFloat(v, 'f', 0, 64)
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return s, "."
		}
		return s[:i], s[i:]
	}
	intW, fracW := 0, 0
	negInf := false
	for _, v := range shown {
		if _, ok := specialFloat(v); ok {
			negInf = negInf || math.IsInf(v, -1)
			continue
		}
		ip, fp := split(v)
		intW = max(intW, len(ip))
		fracW = max(fracW, len(fp))
	}
	fracW = max(fracW, 1)
	if hasSpecial {
		infLen := 3
		if negInf {
			infLen = 4
		}
		intW = max(intW, 3-fracW, infLen-fracW)
	}
	return func(v float64) string {
		if s, ok := specialFloat(v); ok {
			return fmt.Sprintf("%*s", intW+fracW, s)
		}
		ip, fp := split(v)
		return strings.Repeat(" ", intW-len(ip)) + ip + fp + strings.Repeat(" ", fracW-len(fp))
	}
}

// shownValues collects the values a summarised repr prints.
func ShownValues(a *lazy.Array) []float64 {
	var out []float64
	var walk func(axis, off int)
	st := lazy.StridesOf(a.Dims)
	walk = func(axis, off int) {
		if axis == len(a.Dims) {
			out = append(out, a.At(off))
			return
		}
		head, tail := shownIndices(a.Dims[axis], true)
		for _, i := range append(head, tail...) {
			walk(axis+1, off+i*st[axis])
		}
	}
	walk(0, 0)
	return out
}
