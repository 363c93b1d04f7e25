package time

import (
	"fmt"
	"gokist/runtime/numpy"
	"strings"
	"time"

	"gokist/obj"
	"gokist/runtime/astrotime"
)

// strftime is Time.strftime(format_spec), as astropy's: %f becomes the fraction of the
// second at the Time's precision, then Python's time.strftime fills the C-locale
// directives from the calendar date (a leap second keeps its 60).
func (t *Time) strftime(env *obj.Env, spec string) (any, error) {
	cal, w, err := astrotime.ToCalendar(t.jd1, t.jd2, t.scale, t.precision)
	if err != nil {
		return nil, erfaError(err)
	}
	if err := warn(env, w); err != nil {
		return nil, err
	}
	out := make([]string, len(cal))
	for i, c := range cal {
		s := spec
		if strings.Contains(s, "%f") {
			s = strings.ReplaceAll(s, "%f", fmt.Sprintf("%0*d", t.precision, c.Frac))
		}
		if out[i], err = strftimeC(s, c); err != nil {
			return nil, err
		}
	}
	if t.Shape == nil {
		return out[0], nil
	}
	return numpy.NewStrArray(out, t.Shape), nil
}

// strftimeC fills the directives of Python's time.strftime in the C locale.
func strftimeC(spec string, c astrotime.Calendar) (string, error) {
	d := time.Date(c.Year, time.Month(c.Month), c.Day, 0, 0, 0, 0, time.UTC)
	hour12 := c.Hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	ampm := "AM"
	if c.Hour >= 12 {
		ampm = "PM"
	}
	var b strings.Builder
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' || i+1 == len(spec) {
			b.WriteByte(spec[i])
			continue
		}
		i++
		switch spec[i] {
		case 'Y':
			fmt.Fprintf(&b, "%d", c.Year)
		case 'y':
			fmt.Fprintf(&b, "%02d", c.Year%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", c.Month)
		case 'd':
			fmt.Fprintf(&b, "%02d", c.Day)
		case 'H':
			fmt.Fprintf(&b, "%02d", c.Hour)
		case 'I':
			fmt.Fprintf(&b, "%02d", hour12)
		case 'p':
			b.WriteString(ampm)
		case 'M':
			fmt.Fprintf(&b, "%02d", c.Minute)
		case 'S':
			fmt.Fprintf(&b, "%02d", c.Second)
		case 'j':
			fmt.Fprintf(&b, "%03d", d.YearDay())
		case 'b':
			b.WriteString(d.Month().String()[:3])
		case 'B':
			b.WriteString(d.Month().String())
		case 'a':
			b.WriteString(d.Weekday().String()[:3])
		case 'A':
			b.WriteString(d.Weekday().String())
		case 'w':
			fmt.Fprintf(&b, "%d", int(d.Weekday()))
		case '%':
			b.WriteByte('%')
		default:
			return "", obj.Errorf(obj.ValueError, "gokist's strftime does not implement %%%c; it has %%Y %%y %%m %%d %%H %%I %%p %%M %%S %%f %%j %%b %%B %%a %%A %%w %%%%", spec[i])
		}
	}
	return b.String(), nil
}
