package obj

// Float is a plain number's value as a float64: Python's int, float and bool as the
// language holds them (int, float64, bool) and the Go kinds runtime packages produce
// (int64, float32). Anything else (a string, an array, a Quantity) is not a plain
// number; callers that take those convert them themselves.
func Float(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	}
	return 0, false
}
