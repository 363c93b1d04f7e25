package lazy

import "math"

// ReduceOp is one reduction written as dask.array writes its reductions (mean_chunk,
// mean_combine, mean_agg): a chunk step folds a block of input into partial state, a
// combine step merges two partial states, a finish step turns the total state into the
// output values. The executor drives the steps (run.reduce) and knows no operation by
// name; adding a reduction is adding a value here.
type ReduceOp struct {
	Name string
	// Positional reductions (argmin, argmax) give flat positions, and take one axis or
	// all of them, not a tuple.
	Positional bool
	// NoIdentity: a reduction over a zero-size axis is numpy's ValueError (min, max and
	// their arg forms), unless NaNs are skipped.
	NoIdentity bool
	// FreshPartials: the chunk step works only on new partial state, never folding into
	// a running total (std and var take two passes over a block: its mean, then the
	// squared deviations from it).
	FreshPartials bool
	state         accParts
	result        func(in DType) DType
	chunk64       chunkStep[float64]
	chunk32       chunkStep[float32]
	combine       func(total, part *Accumulator, k, t, n int)
	Finish        func(total *Accumulator, out []float64) bool // false: a position over no values
}

// accParts says which arrays of an accumulator an operation keeps.
type accParts struct {
	sum, m2, extreme, position bool
	extremeInit                float64 // the extreme before any value: ±Inf
}

// chunkStep folds the input block buf of shape into acc: ost gives the output offset
// stride of every input axis (0 for reduced ones), pst the position stride (for
// positional reductions), posBase the flat position of the block's first element.
type chunkStep[T float32 | float64] func(acc *Accumulator, buf []T, shape, ost, pst []int, posBase int, skipNaN bool)

// The reductions arrays have; each also has a nan form that skips NaNs.
var (
	Sum    = &ReduceOp{Name: "sum", state: accParts{sum: true}, result: sumResult, chunk64: sumChunk[float64], chunk32: sumChunk[float32], combine: sumCombine, Finish: sumFinish}
	Mean   = &ReduceOp{Name: "mean", state: accParts{sum: true}, result: floatResult, chunk64: sumChunk[float64], chunk32: sumChunk[float32], combine: sumCombine, Finish: meanFinish}
	Var    = &ReduceOp{Name: "var", FreshPartials: true, state: accParts{sum: true, m2: true}, result: floatResult, chunk64: momentsChunk[float64], chunk32: momentsChunk[float32], combine: momentsCombine, Finish: varFinish(false)}
	Std    = &ReduceOp{Name: "std", FreshPartials: true, state: accParts{sum: true, m2: true}, result: floatResult, chunk64: momentsChunk[float64], chunk32: momentsChunk[float32], combine: momentsCombine, Finish: varFinish(true)}
	Min    = extremeOp("min", false)
	Max    = extremeOp("max", true)
	ArgMin = positionOp("argmin", false)
	ArgMax = positionOp("argmax", true)
	// Any and All have no nan form (NaN is true, as in numpy).
	Any = &ReduceOp{Name: "any", state: accParts{sum: true}, result: boolResult, chunk64: countTrueChunk[float64], chunk32: countTrueChunk[float32], combine: sumCombine, Finish: anyFinish}
	All = &ReduceOp{Name: "all", state: accParts{sum: true}, result: boolResult, chunk64: countTrueChunk[float64], chunk32: countTrueChunk[float32], combine: sumCombine, Finish: allFinish}
)

// ReduceOps are the reductions with a nan form, in the order the member tables list them.
var ReduceOps = []*ReduceOp{Sum, Mean, Min, Max, Std, Var, ArgMin, ArgMax}

// LogicalReduceOps are any() and all().
var LogicalReduceOps = []*ReduceOp{Any, All}

func extremeOp(name string, wantMax bool) *ReduceOp {
	return &ReduceOp{Name: name, NoIdentity: true, state: accParts{extreme: true, extremeInit: extremeStart(wantMax)},
		result: sameResult, chunk64: extremeChunk[float64](wantMax), chunk32: extremeChunk[float32](wantMax),
		combine: extremeCombine(wantMax), Finish: extremeFinish}
}

func positionOp(name string, wantMax bool) *ReduceOp {
	return &ReduceOp{Name: name, Positional: true, NoIdentity: true, state: accParts{extreme: true, position: true, extremeInit: extremeStart(wantMax)},
		result: func(DType) DType { return Int64 }, chunk64: positionChunk[float64](wantMax), chunk32: positionChunk[float32](wantMax),
		combine: positionCombine(wantMax), Finish: positionFinish}
}

// extremeStart is the running minimum (maximum) before any value.
func extremeStart(wantMax bool) float64 {
	if wantMax {
		return math.Inf(-1)
	}
	return math.Inf(1)
}

// sumResult: sums of bools and ints are int64; float32 stays float32 (accumulated in
// float64, then rounded, as numpy's pairwise sum comes close to).
func sumResult(in DType) DType {
	if in == Bool || in == Int64 {
		return Int64
	}
	return floatResult(in)
}

func floatResult(in DType) DType {
	if in == Float32 {
		return Float32
	}
	return Float64
}

func sameResult(in DType) DType { return in }
func boolResult(DType) DType    { return Bool }

// replacesExtreme reports whether x takes the place of the running minimum (wantMax
// false) or maximum cur, as numpy's min and max do: a NaN replaces any value and no
// value replaces a NaN (the NaN propagates), otherwise the smaller (larger) wins. It is
// the one comparison of the min/max reductions' chunk and combine steps and of rebin.
func replacesExtreme(x, cur float64, wantMax bool) bool {
	return x != x || cur == cur && (wantMax && x > cur || !wantMax && x < cur)
}

// replacesPosition is replacesExtreme for argmin and argmax, which also keep where the
// extreme is: x at position ix against cur at icur after n values; NaN wins (numpy
// gives the first NaN's position), ties go to the earlier position.
func replacesPosition(x float64, ix int64, cur float64, icur int64, n int64, wantMax bool) bool {
	if n == 0 {
		return true
	}
	if x == cur || x != x && cur != cur {
		return ix < icur
	}
	return replacesExtreme(x, cur, wantMax)
}

func sumChunk[T float32 | float64](acc *Accumulator, buf []T, shape, ost, pst []int, _ int, skipNaN bool) {
	s, n := acc.S, acc.N
	row := shape[len(shape)-1]
	rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
		if os == 0 { // the row is reduced into one output element
			var t float64
			c := int64(0)
			for _, xv := range buf[b : b+row] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				t += x
				c++
			}
			s[o] += t
			n[o] += c
			return
		}
		for j, xv := range buf[b : b+row] {
			x := float64(xv)
			if skipNaN && x != x {
				continue
			}
			s[o+j*os] += x
			n[o+j*os]++
		}
	})
}

// countTrueChunk counts the true (non-zero; NaN is true) values in s.
func countTrueChunk[T float32 | float64](acc *Accumulator, buf []T, shape, ost, pst []int, _ int, _ bool) {
	s, n := acc.S, acc.N
	row := shape[len(shape)-1]
	rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
		for j, xv := range buf[b : b+row] {
			if xv != 0 {
				s[o+j*os]++
			}
			n[o+j*os]++
		}
	})
}

// momentsChunk computes the block's mean and sum of squared deviations from it, in two
// passes over the block (which is why its partials must be fresh).
func momentsChunk[T float32 | float64](acc *Accumulator, buf []T, shape, ost, pst []int, posBase int, skipNaN bool) {
	sumChunk(acc, buf, shape, ost, pst, posBase, skipNaN)
	s, n, m2 := acc.S, acc.N, acc.M2
	for i := range s {
		if n[i] > 0 {
			s[i] /= float64(n[i])
		}
	}
	row := shape[len(shape)-1]
	rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
		for j, xv := range buf[b : b+row] {
			x := float64(xv)
			if skipNaN && x != x {
				continue
			}
			d := x - s[o+j*os]
			m2[o+j*os] += d * d
		}
	})
}

func extremeChunk[T float32 | float64](wantMax bool) chunkStep[T] {
	return func(acc *Accumulator, buf []T, shape, ost, pst []int, _ int, skipNaN bool) {
		v, n := acc.v, acc.N
		row := shape[len(shape)-1]
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			for j, xv := range buf[b : b+row] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				if replacesExtreme(x, v[o+j*os], wantMax) {
					v[o+j*os] = x
				}
				n[o+j*os]++
			}
		})
	}
}

func positionChunk[T float32 | float64](wantMax bool) chunkStep[T] {
	return func(acc *Accumulator, buf []T, shape, ost, pst []int, posBase int, skipNaN bool) {
		v, n, idx := acc.v, acc.N, acc.idx
		row := shape[len(shape)-1]
		rowLoop(shape, ost, pst, func(b, o, os, p, ps int) {
			for j, xv := range buf[b : b+row] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				oo := o + j*os
				pos := int64(posBase + p + j*ps)
				if replacesPosition(x, pos, v[oo], idx[oo], n[oo], wantMax) {
					v[oo], idx[oo] = x, pos
				}
				n[oo]++
			}
		})
	}
}

// sumCombine adds part's sums and counts (k … k+n-1) into total's (t … t+n-1).
func sumCombine(total, part *Accumulator, k, t, n int) {
	pn, tn := part.N[k:k+n], total.N[t:t+n]
	ps, ts := part.S[k:k+n], total.S[t:t+n]
	for i := range pn {
		ts[i] += ps[i] // an empty part adds 0
		tn[i] += pn[i]
	}
}

// momentsCombine merges means and squared deviations with Chan et al.'s pairwise update.
func momentsCombine(total, part *Accumulator, k, t, n int) {
	pn, tn := part.N[k:k+n], total.N[t:t+n]
	ps, ts, pm, tm := part.S[k:k+n], total.S[t:t+n], part.M2[k:k+n], total.M2[t:t+n]
	for i := range pn {
		switch {
		case pn[i] == 0:
			continue
		case tn[i] == 0:
			ts[i], tm[i] = ps[i], pm[i]
		default:
			all := float64(tn[i] + pn[i])
			d := ps[i] - ts[i]
			ts[i] += d * float64(pn[i]) / all
			tm[i] += pm[i] + d*d*float64(tn[i])*float64(pn[i])/all
		}
		tn[i] += pn[i]
	}
}

func extremeCombine(wantMax bool) func(total, part *Accumulator, k, t, n int) {
	return func(total, part *Accumulator, k, t, n int) {
		pn, tn := part.N[k:k+n], total.N[t:t+n]
		pv, tv := part.v[k:k+n], total.v[t:t+n]
		for i := range pn {
			if pn[i] == 0 {
				continue
			}
			if tn[i] == 0 || replacesExtreme(pv[i], tv[i], wantMax) {
				tv[i] = pv[i]
			}
			tn[i] += pn[i]
		}
	}
}

func positionCombine(wantMax bool) func(total, part *Accumulator, k, t, n int) {
	return func(total, part *Accumulator, k, t, n int) {
		pn, tn := part.N[k:k+n], total.N[t:t+n]
		pv, tv, pi, ti := part.v[k:k+n], total.v[t:t+n], part.idx[k:k+n], total.idx[t:t+n]
		for i := range pn {
			if pn[i] == 0 {
				continue
			}
			if replacesPosition(pv[i], pi[i], tv[i], ti[i], tn[i], wantMax) {
				tv[i], ti[i] = pv[i], pi[i]
			}
			tn[i] += pn[i]
		}
	}
}

func sumFinish(a *Accumulator, out []float64) bool {
	copy(out, a.S)
	return true
}

func meanFinish(a *Accumulator, out []float64) bool {
	for i := range out {
		out[i] = a.S[i] / float64(a.N[i])
	}
	return true
}

func anyFinish(a *Accumulator, out []float64) bool {
	for i := range out {
		out[i] = B2f(a.S[i] > 0)
	}
	return true
}

func allFinish(a *Accumulator, out []float64) bool {
	for i := range out {
		out[i] = B2f(a.S[i] == float64(a.N[i])) // true for no values, as numpy
	}
	return true
}

func varFinish(sqrt bool) func(a *Accumulator, out []float64) bool {
	return func(a *Accumulator, out []float64) bool {
		for i := range out {
			out[i] = math.NaN()
			if a.N[i] > 0 {
				out[i] = a.M2[i] / float64(a.N[i])
			}
			if sqrt {
				out[i] = math.Sqrt(out[i])
			}
		}
		return true
	}
}

func extremeFinish(a *Accumulator, out []float64) bool {
	for i := range out {
		out[i] = math.NaN() // only the nan forms get here without values
		if a.N[i] > 0 {
			out[i] = a.v[i]
		}
	}
	return true
}

func positionFinish(a *Accumulator, out []float64) bool {
	for i := range out {
		if a.N[i] == 0 {
			return false
		}
		out[i] = float64(a.idx[i])
	}
	return true
}
