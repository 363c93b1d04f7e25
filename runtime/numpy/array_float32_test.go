package numpy

import (
	"strconv"
	"strings"
	"testing"
)

// pyOperand reads a case operand: a variable of logicPrelude, a Python int, float or
// bool literal, or np.float32(literal) as the Go float32 scalar.
func (e *logicEval) pyOperand(s string) any {
	if v, ok := e.v[s]; ok {
		return v
	}
	switch s {
	case "True":
		return true
	case "False":
		return false
	}
	if inner, ok := strings.CutPrefix(s, "np.float32("); ok {
		f, _ := strconv.ParseFloat(strings.TrimSuffix(inner, ")"), 32)
		return float32(f)
	}
	if i, err := strconv.Atoi(s); err == nil {
		return i
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("bad operand " + s)
	}
	return f
}

// binCase is the case `a op b` with operands read by pyOperand.
func binCase(a, op, b string) logicCase {
	py := a + " " + op + " " + b
	return logicCase{py, py, func(e *logicEval) any { return e.bin(e.pyOperand(a), op, e.pyOperand(b)) }}
}

// TestFloat32WithPythonScalarsLikeNumpy checks numpy 1.24's value-based casting: a Python
// float or int meeting a float32 array is cast to float32 first, so a value copied from
// the printed array compares equal and arithmetic gives numpy's float32 bits. Other
// dtypes keep float64 arithmetic.
func TestFloat32WithPythonScalarsLikeNumpy(t *testing.T) {
	cases := []logicCase{
		binCase("x", "==", "0.9560502"), binCase("0.9560502", "==", "x"), binCase("x", "<=", "0.9560502"),
		binCase("x", "!=", "0.9618288"), binCase("x", ">", "0.96536493"), binCase("x", ">=", "0.96536493"),
		binCase("x", "<", "0.9618288"), binCase("0.9618288", ">", "x"), binCase("y", "==", "16777217"),
		binCase("y", "==", "0.1"), binCase("y", "<", "0.001"),
		binCase("x", "*", "1e-05"), binCase("1e-05", "*", "x"), binCase("x", "/", "3.3"), binCase("3.3", "/", "x"),
		binCase("x", "-", "0.001"), binCase("0.001", "-", "x"), binCase("x", "+", "0.1"), binCase("x", "*", "3"),
		binCase("y", "+", "16777217"), binCase("y", "*", "0.1"), binCase("y", "**", "2"), binCase("y", "**", "0.5"),
		binCase("y", "//", "0.1"), binCase("y", "%", "0.3"), binCase("y", "-", "True"), binCase("y", "/", "7"),
		// Value-based casting: scalars beyond int16/uint16 or ±3.4e38 make float64.
		binCase("y", "+", "65535"), binCase("y", "+", "65536"), binCase("-32768", "*", "y"), binCase("y", "*", "-32769"),
		binCase("y", "+", "1e+39"), binCase("y", "*", "3.4e+38"), binCase("y", "*", "3.39e+38"), binCase("y", "==", "3.4e+38"),
		binCase("x", "*", "np.float32(1e-05)"), binCase("x", "==", "np.float32(0.9560502)"),
		// Floor division and modulo are done in float32, from the exact fmod.
		binCase("y", "//", "0.96536493"), binCase("y", "%", "0.96536493"), binCase("y", "//", "-0.3"),
		// Not float32: Python floats stay float64; floor division is Python's (1 // 0.1 is 9).
		binCase("f", "//", "0.1"), binCase("f", "%", "0.1"), binCase("1", "//", "f"),
		binCase("i", "*", "0.1"), binCase("i", "==", "0.1"), binCase("f", "*", "1e-05"), binCase("x", "*", "f"),
	}
	runLogicCases(t, cases)
}
