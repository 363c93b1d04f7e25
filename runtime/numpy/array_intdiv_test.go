package numpy

import (
	"fmt"
	"testing"
)

// TestIntegerFloorDivisionLikeNumpy checks // and % on int64 and bool arrays: by zero
// they give 0 as numpy's do (the float kernels' inf and nan would become int64's minimum),
// bools promote to integers (numpy's int8; gokist holds ints as int64, so the reference
// is cast to int64), and an int array to a negative int power is numpy's ValueError.
func TestIntegerFloorDivisionLikeNumpy(t *testing.T) {
	bin := func(a, op, b string, asInt bool) logicCase {
		py := a + " " + op + " " + b
		if asInt {
			py = "(" + py + ").astype(np.int64)"
		}
		return logicCase{a + op + b, py, func(e *logicEval) any {
			operand := func(s string) any {
				switch s {
				case "True":
					return true
				case "0", "7", "-7", "-1":
					var n int
					fmt.Sscan(s, &n)
					return n
				}
				return e.v[s]
			}
			return e.bin(operand(a), op, operand(b))
		}}
	}
	var cases []logicCase
	for _, op := range []string{"//", "%"} {
		cases = append(cases,
			bin("i", op, "0", false), bin("7", op, "i", false), bin("-7", op, "i", false), bin("i", op, "j", false),
			bin("j", op, "i", false), bin("i", op, "-1", false),
			bin("b", op, "c", true), bin("c", op, "b", true), bin("True", op, "c", true), bin("b", op, "True", true))
	}
	cases = append(cases, bin("i", "**", "-1", false), bin("j", "**", "0", false))
	runLogicCasesWith(t, logicPrelude+"np.seterr(all='ignore')\n", cases)
}
