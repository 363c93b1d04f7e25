package runtime

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatFloat32 renders a float32 as numpy prints an np.float32 scalar: the shortest
// digits that read back as the same float32, positional from 1e-4 up to 1e16 with a
// ".0" on whole numbers, scientific with a signed two-digit exponent outside that range,
// and nan / inf. Go's own %v switches to an exponent already at 1e+06 and drops the
// ".0", which is not what a notebook user expects from `ds.data.sum().compute()`.
func FormatFloat32(v float32) string {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'e', -1, 32) // d.ddde±XX, shortest for float32
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	sign := ""
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	// numpy decides on the value, not its digits: float32(1e-4) lies just below 1e-4.
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	switch {
	case f == 0:
		return sign + "0.0"
	case exp < 0:
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}
