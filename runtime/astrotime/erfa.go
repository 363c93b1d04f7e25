package astrotime

import "math"

// The routines below follow ERFA (github.com/liberfa/erfa), derived with permission
// from the IAU SOFA library, as pyerfa 2.0 builds them; astropy.time calls them. ERFA's
// licence:
//
//	Copyright (C) 2013-2021, NumFOCUS Foundation. All rights reserved.
//	Redistribution and use in source and binary forms, with or without modification,
//	are permitted provided that the following conditions are met: 1 Redistributions of
//	source code must retain the above copyright notice, this list of conditions and the
//	following disclaimer. 2 Redistributions in binary form must reproduce the above
//	copyright notice, this list of conditions and the following disclaimer in the
//	documentation and/or other materials provided with the distribution. 3 Neither the
//	name of the Standards Of Fundamental Astronomy Board, the International
//	Astronomical Union nor the names of its contributors may be used to endorse or
//	promote products derived from this software without specific prior written
//	permission. THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
//	"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES ARE DISCLAIMED.

const (
	// DJM0 is the JD of MJD 0.
	DJM0 = 2400000.5
	// DaySec is the number of seconds in a day.
	DaySec = 86400.0
	// ttMinusTAI is TT-TAI in seconds.
	ttMinusTAI = 32.184
	// releaseYear is the year from which ERFA's Dat calls a year five or more later
	// dubious (pyerfa 2.0).
	releaseYear = 2021
)

// Status is an ERFA status: 0 is fine, positive a warning, negative an error. Its
// message is the one pyerfa puts into ErfaWarning and ErfaError for the routine.
type Status int

// leapChange is one row of the leap-second table.
type leapChange struct {
	year, month int
	taiUTC      float64
}

// driftTable holds, for the first rows of leapTable (before 1972), the reference MJD
// and the drift of TAI-UTC in seconds per day (ERFA's dat.c).
var driftTable = [][2]float64{
	{37300.0, 0.0012960}, {37300.0, 0.0012960}, {37300.0, 0.0012960},
	{37665.0, 0.0011232}, {37665.0, 0.0011232},
	{38761.0, 0.0012960}, {38761.0, 0.0012960}, {38761.0, 0.0012960}, {38761.0, 0.0012960},
	{38761.0, 0.0012960}, {38761.0, 0.0012960}, {38761.0, 0.0012960},
	{39126.0, 0.0025920}, {39126.0, 0.0025920},
}

// cal2jd is eraCal2jd: the Gregorian calendar date as MJD (djm0 = 2400000.5 plus djm).
// Status -1 bad year, -2 bad month, -3 bad day.
func cal2jd(iy, im, id int) (djm0, djm float64, st Status) {
	const iymin = -4799
	mtab := [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if iy < iymin {
		return 0, 0, -1
	}
	if im < 1 || im > 12 {
		return 0, 0, -2
	}
	ly := 0
	if im == 2 && iy%4 == 0 && (iy%100 != 0 || iy%400 == 0) {
		ly = 1
	}
	if id < 1 || id > mtab[im-1]+ly {
		st = -3
	}
	my := (im - 14) / 12
	iypmy := int64(iy + my)
	djm = float64((1461*(iypmy+4800))/4 + int64(367*(im-2-12*my))/12 - (3*((iypmy+4900)/100))/4 + int64(id) - 2432076)
	return DJM0, djm, st
}

// jd2cal is eraJd2cal: the calendar date and fraction of day of a two-part JD, with
// the compensated summation of ERFA 2.0. Status -1 for a date outside -68569.5 … 1e9.
func jd2cal(dj1, dj2 float64) (iy, im, id int, fd float64, st Status) {
	const djmin, djmax = -68569.5, 1e9
	if dj := dj1 + dj2; dj < djmin || dj > djmax {
		return 0, 0, 0, 0, -1
	}
	d := math.Round(dj1)
	f1 := dj1 - d
	jd := int64(d)
	d = math.Round(dj2)
	f2 := dj2 - d
	jd += int64(d)
	// f1+f2+0.5 by compensated summation (Klein 2006).
	s, cs := 0.5, 0.0
	for _, x := range [2]float64{f1, f2} {
		t := s + x
		if math.Abs(s) >= math.Abs(x) {
			cs += (s - t) + x
		} else {
			cs += (x - t) + s
		}
		s = t
		if s >= 1.0 {
			jd++
			s -= 1.0
		}
	}
	f := s + cs
	cs = f - s
	if f < 0.0 {
		f = s + 1.0
		cs += (1.0 - f) + s
		s = f
		f = s + cs
		cs = f - s
		jd--
	}
	const eps = 2.220446049250313e-16
	if (f - 1.0) >= -eps/4.0 {
		t := s - 1.0
		cs += (s - t) - 1.0
		s = t
		f = s + cs
		if -eps/2.0 < f {
			jd++
			f = math.Max(f, 0.0)
		}
	}
	l := jd + 68569
	n := (4 * l) / 146097
	l -= (146097*n + 3) / 4
	i := (4000 * (l + 1)) / 1461001
	l -= (1461*i)/4 - 31
	k := (80 * l) / 2447
	id = int(l - (2447*k)/80)
	l = k / 11
	im = int(k + 2 - 12*l)
	iy = int(100*(n-49) + i + l)
	return iy, im, id, f, 0
}

// dat is eraDat: TAI-UTC in seconds on a UTC date (fd the fraction of the day, used
// before 1972). Status 1 dubious year (before 1960 the result is 0), -1…-3 a bad
// date, -4 a bad fraction.
func dat(iy, im, id int, fd float64) (float64, Status) {
	if fd < 0.0 || fd > 1.0 {
		return 0, -4
	}
	_, djm, st := cal2jd(iy, im, id)
	if st < 0 {
		return 0, st
	}
	if iy < leapTable[0].year {
		return 0, 1
	}
	if iy > releaseYear+5 {
		st = 1
	}
	m := 12*iy + im
	i := len(leapTable) - 1
	for ; i >= 0; i-- {
		if m >= 12*leapTable[i].year+leapTable[i].month {
			break
		}
	}
	if i < 0 {
		return 0, -5
	}
	da := leapTable[i].taiUTC
	if i < len(driftTable) {
		da += (djm + fd - driftTable[i][0]) * driftTable[i][1]
	}
	return da, st
}

// dtf2d is eraDtf2d: a calendar date and time of day in scale ("UTC" handles leap
// seconds and pre-1972 drift) as a two-part JD. Status 3 both dubious year and time
// after the end of day, 2 time after the end of day, 1 dubious year, -1…-3 bad
// date, -4 bad hour, -5 bad minute, -6 bad second.
func dtf2d(scale string, iy, im, id, ihr, imn int, sec float64) (d1, d2 float64, st Status) {
	dj, w, st := cal2jd(iy, im, id)
	if st != 0 {
		return 0, 0, st
	}
	dj += w
	day, seclim := DaySec, 60.0
	if scale == "UTC" {
		dat0, s := dat(iy, im, id, 0.0)
		if s < 0 {
			return 0, 0, s
		}
		st = s
		dat12, s := dat(iy, im, id, 0.5)
		if s < 0 {
			return 0, 0, s
		}
		iy2, im2, id2, _, s := jd2cal(dj, 1.5)
		if s != 0 {
			return 0, 0, s
		}
		dat24, s := dat(iy2, im2, id2, 0.0)
		if s < 0 {
			return 0, 0, s
		}
		st = s
		dleap := dat24 - (2.0*dat12 - dat0)
		day += dleap
		if ihr == 23 && imn == 59 {
			seclim += dleap
		}
	}
	switch {
	case ihr < 0 || ihr > 23:
		return 0, 0, -4
	case imn < 0 || imn > 59:
		return 0, 0, -5
	case sec < 0:
		return 0, 0, -6
	case sec >= seclim:
		st += 2
	}
	return dj, (60.0*float64(60*ihr+imn) + sec) / day, st
}

// d2tf is eraD2tf without the sign: a fraction of a day as hours, minutes, seconds
// and the fraction in units of 10^-ndp s, rounded.
func d2tf(ndp int, days float64) [4]int {
	a := DaySec * math.Abs(days)
	if ndp < 0 {
		nrs := 1
		for n := 1; n <= -ndp; n++ {
			if n == 2 || n == 4 {
				nrs *= 6
			} else {
				nrs *= 10
			}
		}
		rs := float64(nrs)
		a = rs * math.Round(a/rs)
	}
	nrs := 1
	for n := 1; n <= ndp; n++ {
		nrs *= 10
	}
	rs := float64(nrs)
	rm := rs * 60.0
	rh := rm * 60.0
	a = math.Round(rs * a)
	ah := math.Trunc(a / rh)
	a -= ah * rh
	am := math.Trunc(a / rm)
	a -= am * rm
	as := math.Trunc(a / rs)
	af := a - as*rs
	return [4]int{int(ah), int(am), int(as), int(af)}
}

// d2dtf is eraD2dtf: a two-part JD in scale as a calendar date and a time of day
// rounded to ndp decimals of the second, with 23:59:60 on a UTC leap-second day.
// Status 1 dubious year, -1 an unacceptable date.
func d2dtf(scale string, ndp int, d1, d2 float64) (iy, im, id int, hmsf [4]int, st Status) {
	iy1, im1, id1, fd, st := jd2cal(d1, d2)
	if st != 0 {
		return 0, 0, 0, hmsf, -1
	}
	leap := false
	if scale == "UTC" {
		dat0, s := dat(iy1, im1, id1, 0.0)
		if s < 0 {
			return 0, 0, 0, hmsf, -1
		}
		st = s
		dat12, s := dat(iy1, im1, id1, 0.5)
		if s < 0 {
			return 0, 0, 0, hmsf, -1
		}
		iy2, im2, id2, _, s := jd2cal(d1+1.5, d2-fd)
		if s != 0 {
			return 0, 0, 0, hmsf, -1
		}
		dat24, s := dat(iy2, im2, id2, 0.0)
		if s < 0 {
			return 0, 0, 0, hmsf, -1
		}
		st = s
		dleap := dat24 - (2.0*dat12 - dat0)
		leap = math.Abs(dleap) > 0.5
		if leap {
			fd += fd * dleap / DaySec
		}
	}
	hmsf = d2tf(ndp, fd)
	if hmsf[0] > 23 {
		iy2, im2, id2, _, s := jd2cal(d1+1.5, d2-fd)
		if s != 0 {
			return 0, 0, 0, hmsf, -1
		}
		switch {
		case !leap:
			iy1, im1, id1, hmsf = iy2, im2, id2, [4]int{}
		case hmsf[2] > 0: // past the leap second itself
			iy1, im1, id1, hmsf = iy2, im2, id2, [4]int{0, 0, 0, hmsf[3]}
		default:
			hmsf[0], hmsf[1], hmsf[2] = 23, 59, 60
		}
		if leap && ndp < 0 && hmsf[2] == 60 {
			iy1, im1, id1, hmsf = iy2, im2, id2, [4]int{}
		}
	}
	return iy1, im1, id1, hmsf, st
}

// utcTAI is eraUtctai: UTC (quasi-JD) to TAI, keeping the split of the two parts.
func utcTAI(utc1, utc2 float64) (tai1, tai2 float64, st Status) {
	big1 := math.Abs(utc1) >= math.Abs(utc2)
	u1, u2 := utc1, utc2
	if !big1 {
		u1, u2 = utc2, utc1
	}
	iy, im, id, fd, st := jd2cal(u1, u2)
	if st != 0 {
		return 0, 0, st
	}
	dat0, st := dat(iy, im, id, 0.0)
	if st < 0 {
		return 0, 0, st
	}
	dat12, st := dat(iy, im, id, 0.5)
	if st < 0 {
		return 0, 0, st
	}
	iyt, imt, idt, _, s := jd2cal(u1+1.5, u2-fd)
	if s != 0 {
		return 0, 0, s
	}
	dat24, st := dat(iyt, imt, idt, 0.0)
	if st < 0 {
		return 0, 0, st
	}
	dlod := 2.0 * (dat12 - dat0)
	dleap := dat24 - (dat0 + dlod)
	fd *= (DaySec + dleap) / DaySec
	fd *= (DaySec + dlod) / DaySec
	z1, z2, s := cal2jd(iy, im, id)
	if s != 0 {
		return 0, 0, -1
	}
	a2 := z1 - u1
	a2 += z2
	a2 += fd + dat0/DaySec
	if big1 {
		return u1, a2, st
	}
	return a2, u1, st
}

// taiUTC is eraTaiutc: TAI to UTC (quasi-JD) by iterating utcTAI.
func taiUTC(tai1, tai2 float64) (utc1, utc2 float64, st Status) {
	big1 := math.Abs(tai1) >= math.Abs(tai2)
	a1, a2 := tai1, tai2
	if !big1 {
		a1, a2 = tai2, tai1
	}
	u1, u2 := a1, a2
	for range 3 {
		g1, g2, s := utcTAI(u1, u2)
		if s < 0 {
			return 0, 0, s
		}
		st = s
		u2 += a1 - g1
		u2 += a2 - g2
	}
	if big1 {
		return u1, u2, st
	}
	return u2, u1, st
}

// dtat is TT-TAI in days, divided in float64 as C does (a Go constant expression
// would round the exact quotient, one bit away).
var dtat = func() float64 { s, d := ttMinusTAI, DaySec; return s / d }()

// taiTT is eraTaitt; ttTAI is eraTttai.
func taiTT(tai1, tai2 float64) (float64, float64) {
	if math.Abs(tai1) > math.Abs(tai2) {
		return tai1, tai2 + dtat
	}
	return tai1 + dtat, tai2
}

func ttTAI(tt1, tt2 float64) (float64, float64) {
	if math.Abs(tt1) > math.Abs(tt2) {
		return tt1, tt2 - dtat
	}
	return tt1 - dtat, tt2
}
