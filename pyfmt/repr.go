package pyfmt

import (
	"math"
	"strconv"
	"strings"
)

// Float is Python's repr(float) (and str of a numpy float64): the shortest digits that
// read back as f, positional for decimal exponents -4 ≤ e < 16 (always with a decimal
// point), otherwise scientific with a signed exponent of at least two digits:
// 1.0, 0.0001, 1e-05, 1e+16, inf, -inf, nan.
func Float(f float64) string {
	if s, ok := nonFinite(f); ok {
		return s
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	if exp := exponent(sci); exp < -4 || exp >= 16 {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Float32 is numpy 1.24's repr of an np.float32 scalar: the shortest digits that read
// back as the same float32, positional from 1e-4 up to 1e16 with ".0" on whole numbers,
// scientific with a signed two-digit exponent outside that range, and nan / inf. (Go's
// %v switches to an exponent already at 1e+06 and drops the ".0".)
func Float32(v float32) string {
	f := float64(v)
	if s, ok := nonFinite(f); ok {
		return s
	}
	sci := strconv.FormatFloat(f, 'e', -1, 32)
	// numpy decides on the value, not its digits: float32(1e-4) lies just below 1e-4.
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 32)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// nonFinite gives Python's text of NaN and the infinities (NaN never shows a sign).
func nonFinite(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "nan", true
	case math.IsInf(f, 1):
		return "inf", true
	case math.IsInf(f, -1):
		return "-inf", true
	}
	return "", false
}

// exponent reads the decimal exponent of a number strconv wrote in 'e' form.
func exponent(sci string) int {
	_, exp, _ := strings.Cut(sci, "e")
	n, _ := strconv.Atoi(exp)
	return n
}
