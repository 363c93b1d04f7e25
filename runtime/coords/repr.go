package coords

import (
	"gokist/runtime/numpy"
	"math"
	"strings"

	"gokist/pyfmt"
	"gokist/runtime/units"
)

// Reprs as astropy 5.2 and sunpy 4.1 print them: "<SkyCoord (Frame: attrs): (names) in
// units\n    (values)>", "<Frame Coordinate (attrs): …>", "<Frame Frame (attrs)>"; the
// values are numpy's array2string of a structured array (each component a column in
// numpy's float format, 75 columns wide, continuation lines indented).

const reprPrefix = "    "

// metresIn converts metres to a length unit.
func metresIn(unit string) float64 {
	u, err := units.Parse(unit)
	if err != nil {
		return math.NaN()
	}
	f, err := u.ScaleTo(units.MustUnit("m"))
	if err != nil {
		return math.NaN()
	}
	return f
}

// columns are the data's components in the units the frame prints them in, with their
// names and units.
func (c *coord) columns() (names []string, unitList []string, cols [][]float64) {
	info := kinds[c.frame.kind]
	if c.xyz != nil {
		f := metresIn(c.distUnit)
		cols = make([][]float64, 3)
		for _, v := range c.xyz {
			for k := range 3 {
				cols[k] = append(cols[k], v[k]/f)
			}
		}
		return info.comps[:], []string{c.distUnit, c.distUnit, c.distUnit}, cols
	}
	lon, lat := make([]float64, len(c.lon)), make([]float64, len(c.lat))
	a360 := 360 * math.Pi / 180 * info.fromRad
	if info.angleUnit == "deg" {
		a360 = 360
	}
	for i := range lon {
		lon[i] = wrapAt(c.lon[i], info.wrap/360*a360, a360)
		lat[i] = c.lat[i]
	}
	names, unitList, cols = info.comps[:2], []string{info.angleUnit, info.angleUnit}, [][]float64{lon, lat}
	if c.dist != nil {
		f := metresIn(c.distUnit)
		d := make([]float64, len(c.dist))
		for i := range d {
			d[i] = c.dist[i] / f
		}
		names, unitList, cols = info.comps[:], append(unitList, c.distUnit), append(cols, d)
	}
	return names, unitList, cols
}

// dataRepr is astropy's _data_repr: "(Tx, Ty) in arcsec\n    (10., 20.)".
func (c *coord) dataRepr() string {
	names, unitList, cols := c.columns()
	unitStr := unitList[0]
	for _, u := range unitList[1:] {
		if u != unitList[0] {
			unitStr = "(" + strings.Join(unitList, ", ") + ")"
			break
		}
	}
	words := func(shown []int) func(int) string {
		fmts := make([]func(float64) string, len(cols))
		for k, col := range cols {
			vals := make([]float64, len(shown))
			for j, i := range shown {
				vals[j] = col[i]
			}
			fmts[k] = numpy.FloatFormat(vals)
		}
		return func(i int) string {
			parts := make([]string, len(cols))
			for k := range cols {
				parts[k] = fmts[k](cols[k][i])
			}
			return "(" + strings.Join(parts, ", ") + ")"
		}
	}
	var body string
	if c.shape == nil {
		body = words([]int{0})(0)
	} else {
		body = numpy.WordsRepr(c.shape, len(reprPrefix), words)
	}
	return "(" + strings.Join(names, ", ") + ") in " + unitStr + "\n" + reprPrefix + body
}

// attrsRepr is astropy's _frame_attrs_repr.
func (f frame) attrsRepr() string {
	var parts []string
	for _, a := range kinds[f.kind].attrs {
		var v string
		switch a {
		case "obstime":
			v = "None"
			if f.obstime != nil {
				v = f.obstime.Str()
			}
		case "rsun":
			v = pyfmt.Float(f.rsun/1000) + " km"
		case "observer":
			v = "None"
			switch {
			case f.observerStr != "":
				v = f.observerStr
			case f.observer != nil:
				v = f.observer.strInFrame()
			}
		}
		parts = append(parts, a+"="+v)
	}
	return strings.Join(parts, ", ")
}

// strInFrame is sunpy's __str__ of an observer: named ones by their name.
func (c *coord) strInFrame() string {
	if c.name != "" {
		return "<" + kinds[c.frame.kind].class + " Coordinate for '" + c.name + "'>"
	}
	return c.String()
}

// String is astropy's repr of a SkyCoord or a frame.
func (c *coord) String() string {
	class := kinds[c.frame.kind].class
	attrs := c.frame.attrsRepr()
	if c.sky {
		head := class
		if attrs != "" {
			head += ": " + attrs
		}
		return "<SkyCoord (" + head + "): " + c.dataRepr() + ">"
	}
	if attrs != "" {
		attrs = " (" + attrs + ")"
	}
	if c.noData {
		return "<" + class + " Frame" + attrs + ">"
	}
	return "<" + class + " Coordinate" + attrs + ": " + c.dataRepr() + ">"
}

// MimeBundle shows the repr.
func (c *coord) MimeBundle() map[string]any { return map[string]any{"text/plain": c.String()} }

// wrapAt is astropy's Longitude._wrap_at in the angle's unit (a360 is a full turn):
// angles already in [wrap-a360, wrap) are left exactly as they are.
func wrapAt(x, wrap, a360 float64) float64 {
	floor := wrap - a360
	wraps := math.Floor((x - floor) / a360)
	if math.IsNaN(wraps) || math.IsInf(wraps, 0) || wraps == 0 {
		return x
	}
	x -= wraps * a360
	if x >= wrap {
		x -= a360
	}
	if x < floor {
		x += a360
	}
	return x
}
