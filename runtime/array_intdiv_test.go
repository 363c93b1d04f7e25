package runtime

import (
	"fmt"
	"gokist/runtime/lazy"
	"strings"
	"testing"

	"gokist/obj"
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

// A lazy array has one chunk per file, as dask's arrays over the same files: the repr's
// chunks= and npartitions agree with .chunks even when the executor splits files into
// smaller tasks.
func TestChunkCountIsFilesNotTasks(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5}) // 2 x 3 files of 4 x 5 values
	env := testEnv()
	client := smallTasks(env, 7) // three tasks per file
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	data := ds.Data().(*LazyArray)
	if n := callMember(t, env, data, "npartitions", obj.Args{}); n != 6 {
		t.Errorf("npartitions %v, want 6 (one per file)", n)
	}
	if s := data.String(); !strings.Contains(s, "chunks=6,") {
		t.Errorf("repr %q does not count 6 chunks", s)
	}
	if n := len(lazy.TaskBlocks(data.n, client.Plan)); n <= 6 {
		t.Fatalf("the executor plans %d tasks; the test needs files split into several", n)
	}
}
