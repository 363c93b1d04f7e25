package obj

import (
	"math"
	"testing"
)

// TestFloatTakesPlainNumbersOnly: Python's int, float and bool (float(True) == 1.0) and the
// Go kinds runtime packages produce are numbers; strings, None and lists are not.
func TestFloatTakesPlainNumbersOnly(t *testing.T) {
	for _, c := range []struct {
		v    any
		want float64
	}{{3, 3}, {-2.5, -2.5}, {true, 1}, {false, 0}, {int64(1) << 53, 1 << 53}, {float32(0.1), float64(float32(0.1))}, {math.Inf(-1), math.Inf(-1)}} {
		if got, ok := Float(c.v); !ok || got != c.want {
			t.Errorf("Float(%#v) = %v, %v; want %v", c.v, got, ok, c.want)
		}
	}
	for _, v := range []any{"1", nil, List{1}, Tuple{}, []float64{1}} {
		if _, ok := Float(v); ok {
			t.Errorf("Float(%#v) is a number", v)
		}
	}
}
