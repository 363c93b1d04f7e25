package astrotime

import "math"

// The exact two-double arithmetic of astropy.time.utils (Shewchuk 1997).

// twoSum is a+b as the rounded sum and its exact error.
func twoSum(a, b float64) (float64, float64) {
	x := a + b
	eb := x - a
	ea := x - eb
	eb = b - eb
	ea = a - ea
	return x, ea + eb
}

// split cuts a float64 in two halves of 26 bits.
func split(a float64) (float64, float64) {
	c := 134217729.0 * a
	abig := c - a
	ah := c - abig
	return ah, a - ah
}

// twoProduct is a*b as the rounded product and its exact error.
func twoProduct(a, b float64) (float64, float64) {
	x := a * b
	ah, al := split(a)
	bh, bl := split(b)
	y1 := ah * bh
	y := x - y1
	y2 := al * bh
	y -= y2
	y3 := ah * bl
	y -= y3
	y4 := al * bl
	return x, y4 - y
}

// roundEven is numpy's round: halves to even.
func roundEven(x float64) float64 { return math.RoundToEven(x) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// DayFrac is astropy's day_frac: val1+val2 (times factor, or divided by divisor, when
// not zero) as an integer day and a fraction in -0.5 … 0.5, exactly.
func DayFrac(val1, val2, factor, divisor float64) (day, frac float64) {
	sum12, err12 := twoSum(val1, val2)
	if factor != 0 {
		var carry float64
		sum12, carry = twoProduct(sum12, factor)
		carry += err12 * factor
		sum12, err12 = twoSum(sum12, carry)
	}
	if divisor != 0 {
		q1 := sum12 / divisor
		p1, p2 := twoProduct(q1, divisor)
		d1, d2 := twoSum(sum12, -p1)
		d2 += err12
		d2 -= p2
		q2 := (d1 + d2) / divisor
		sum12, err12 = twoSum(q1, q2)
	}
	day = roundEven(sum12)
	frac, check := twoSum(sum12-day, err12)
	var excess float64
	if frac*sign(check) != 0.5 {
		excess = roundEven(frac)
	} else {
		excess = roundEven(frac + 2*check)
	}
	day += excess
	frac = sum12 - day
	frac += err12
	return day, frac
}
