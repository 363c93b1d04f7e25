package astrotime

import (
	"fmt"
	"math"
)

// Earth's position as astropy's "builtin" ephemeris gives it (get_body_barycentric with
// solar_system_ephemeris "builtin" calls erfa.epv00 on TDB), and TDB from TT as astropy's
// Time does it (erfa.dtdb at the geocentre). Ports of ERFA's epv00.c and dtdb.c
// (github.com/liberfa/erfa, derived with permission from the IAU SOFA library), whose
// coefficient tables gen_ephemeris.py copies into ephemeris_tables.go. ERFA's licence:
//
//	Copyright (C) 2013-2023, NumFOCUS Foundation. All rights reserved.
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
	dj00 = 2451545.0 // J2000.0 as a Julian Date
	djy  = 365.25    // days per Julian year
	djm  = 365250.0  // days per Julian millennium
	d2pi = 2 * math.Pi
	dd2r = math.Pi / 180
)

// PV is a position (AU) and velocity (AU/day).
type PV struct{ P, V [3]float64 }

// epv00 matrix elements orienting the analytical model to DE405 (ecliptic to BCRS).
const (
	am12 = 0.000000211284
	am13 = -0.000000091603
	am21 = -0.000000230286
	am22 = 0.917482137087
	am23 = -0.397776982902
	am32 = 0.397776982902
	am33 = 0.917482137087
)

// Epv00 is ERFA's eraEpv00: Earth's heliocentric and barycentric position and velocity
// in the BCRS at the TDB date date1+date2; status 1 is a date outside 1900-2100.
func Epv00(date1, date2 float64) (helio, bary PV, status Status) {
	t := ((date1 - dj00) + date2) / djy
	if math.Abs(t) > 100 {
		status = 1
	}
	e := [3][3][]float64{{epvE0X, epvE1X, epvE2X}, {epvE0Y, epvE1Y, epvE2Y}, {epvE0Z, epvE1Z, epvE2Z}}
	s := [3][3][]float64{{epvS0X, epvS1X, epvS2X}, {epvS0Y, epvS1Y, epvS2Y}, {epvS0Z, epvS1Z, epvS2Z}}
	var ph, vh, pb, vb [3]float64
	for i := range 3 {
		var xyz, xyzd float64
		xyz, xyzd = epvSeries(e[i], t, xyz, xyzd)
		ph[i], vh[i] = xyz, xyzd/djy
		xyz, xyzd = epvSeries(s[i], t, xyz, xyzd)
		pb[i], vb[i] = xyz, xyzd/djy
	}
	return PV{eclipticToBCRS(ph), eclipticToBCRS(vh)}, PV{eclipticToBCRS(pb), eclipticToBCRS(vb)}, status
}

// epvSeries adds one model's T^0, T^1 and T^2 terms of one component to the position
// and its derivative, in ERFA's order of operations.
func epvSeries(terms [3][]float64, t, xyz, xyzd float64) (float64, float64) {
	t2 := t * t
	for c := terms[0]; len(c) >= 3; c = c[3:] {
		a, b, f := c[0], c[1], c[2]
		p := b + f*t
		xyz += a * math.Cos(p)
		xyzd -= a * f * math.Sin(p)
	}
	for c := terms[1]; len(c) >= 3; c = c[3:] {
		a, b, f := c[0], c[1], c[2]
		ct := f * t
		p := b + ct
		cp := math.Cos(p)
		xyz += a * t * cp
		xyzd += a * (cp - ct*math.Sin(p))
	}
	for c := terms[2]; len(c) >= 3; c = c[3:] {
		a, b, f := c[0], c[1], c[2]
		ct := f * t
		p := b + ct
		cp := math.Cos(p)
		xyz += a * t2 * cp
		xyzd += a * t * (2.0*cp - ct*math.Sin(p))
	}
	return xyz, xyzd
}

// eclipticToBCRS rotates an ecliptic vector of the model to the BCRS.
func eclipticToBCRS(v [3]float64) [3]float64 {
	x, y, z := v[0], v[1], v[2]
	return [3]float64{x + am12*y + am13*z, am21*x + am22*y + am23*z, am32*y + am33*z}
}

// Dtdb is ERFA's eraDtdb: TDB-TT in seconds at the date date1+date2 (TDB or TT), ut the
// UT1 fraction of a day, for an observer at east longitude elong (radians), distance u
// from the Earth's spin axis and v north of the equatorial plane (km).
func Dtdb(date1, date2, ut, elong, u, v float64) float64 {
	t := ((date1 - dj00) + date2) / djm
	tsol := math.Mod(ut, 1.0)*d2pi + elong
	w := t / 3600.0
	elsun := math.Mod(280.46645683+1296027711.03429*w, 360.0) * dd2r
	emsun := math.Mod(357.52910918+1295965810.481*w, 360.0) * dd2r
	d := math.Mod(297.85019547+16029616012.090*w, 360.0) * dd2r
	elj := math.Mod(34.35151874+109306899.89453*w, 360.0) * dd2r
	els := math.Mod(50.07744430+44046398.47038*w, 360.0) * dd2r
	wt := +0.00029e-10*u*math.Sin(tsol+elsun-els) +
		0.00100e-10*u*math.Sin(tsol-2.0*emsun) +
		0.00133e-10*u*math.Sin(tsol-d) +
		0.00133e-10*u*math.Sin(tsol+elsun-elj) -
		0.00229e-10*u*math.Sin(tsol+2.0*elsun+emsun) -
		0.02200e-10*v*math.Cos(elsun+emsun) +
		0.05312e-10*u*math.Sin(tsol-emsun) -
		0.13677e-10*u*math.Sin(tsol+2.0*elsun) -
		1.31840e-10*v*math.Cos(elsun) +
		3.17679e-10*u*math.Sin(tsol)
	w0 := fairheadSum(473, 0, t)
	w1 := fairheadSum(678, 474, t)
	w2 := fairheadSum(763, 679, t)
	w3 := fairheadSum(783, 764, t)
	w4 := fairheadSum(786, 784, t)
	wf := t*(t*(t*(t*w4+w3)+w2)+w1) + w0
	wj := 0.00065e-6*math.Sin(6069.776754*t+4.021194) +
		0.00033e-6*math.Sin(213.299095*t+5.543132) +
		-0.00196e-6*math.Sin(6208.294251*t+5.696701) +
		-0.00173e-6*math.Sin(74.781599*t+2.435900) +
		0.03638e-6*t*t
	return wt + wf + wj
}

// fairheadSum sums rows hi down to lo of the Fairhead table, in ERFA's order.
func fairheadSum(hi, lo int, t float64) float64 {
	w := 0.0
	for j := hi; j >= lo; j-- {
		r := fairhd[3*j : 3*j+3]
		w += r[0] * math.Sin(r[1]*t+r[2])
	}
	return w
}

// ToTDB converts times from a scale gokist keeps (UT1 as UTC) to TDB as astropy's
// Time.tdb does: the hops to TT, then ERFA's tttdb with TDB-TT from Dtdb at the
// geocentre, then day_frac.
func ToTDB(jd1, jd2 []float64, from Scale) (o1, o2 []float64, warnings []string, err error) {
	if !ValidScale(string(from)) {
		return nil, nil, nil, fmt.Errorf("unknown scale %q", from)
	}
	o1, o2 = append([]float64(nil), jd1...), append([]float64(nil), jd2...)
	if from == UT1 {
		warnings = append(warnings, UT1Warning)
	}
	w, err := applyHops(o1, o2, path(from, TT))
	if err != nil {
		return nil, nil, nil, err
	}
	warnings = append(warnings, w...)
	for k := range o1 {
		o1[k], o2[k] = ttTDB(o1[k], o2[k], deltaTDBTT(o1[k], o2[k]))
		o1[k], o2[k] = DayFrac(o1[k], o2[k], 0, 0)
	}
	return o1, o2, warnings, nil
}

// deltaTDBTT is astropy's Time._get_delta_tdb_tt for a time without a location: UT
// approximated by UTC from TT, and TDB-TT at the geocentre.
func deltaTDBTT(tt1, tt2 float64) float64 {
	n1, n2 := ttTAI(tt1, tt2)
	n1, n2, _ = taiUTC(n1, n2)
	_, ut := DayFrac(n1-0.5, n2, 0, 0)
	return Dtdb(tt1, tt2, ut, 0, 0, 0)
}

// ttTDB is ERFA's eraTttdb.
func ttTDB(tt1, tt2, dtr float64) (float64, float64) {
	dtrd := dtr / DaySec
	if math.Abs(tt1) > math.Abs(tt2) {
		return tt1, tt2 + dtrd
	}
	return tt1 + dtrd, tt2
}
