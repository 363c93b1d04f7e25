package lazy

import (
	"math"
	"testing"
)

// TestClusterKernelsMatch checks that the elementwise kernels a worker looks up by name
// (BinaryKernel, UnaryKernel) are the ones NewBinary and UnaryOp chose in the kernel, for
// every operator and dtype, on values where the choices differ (float32 floor division,
// integer division by zero, the bool invert).
func TestClusterKernelsMatch(t *testing.T) {
	xs := []float64{16777216, 7, -7, 0, 1, 0.96536493, math.Inf(1), math.NaN()}
	// Operands as cells give them: arrays of each dtype and Python numbers (the face
	// makes an int 3 and a float 0.5 constants of dtypes int64 and float64).
	operands := []Node{
		&ArrayNode{A: NewArray([]float64{1, 0, 1}, []int{3}, Bool)}, &ArrayNode{A: NewArray([]float64{7, -7, 0}, []int{3}, Int64)}, &ConstNode{V: 3, Dt: Int64},
		&ArrayNode{A: NewArray([]float64{16777216, 0.96536493, -1}, []int{3}, Float32)}, &ArrayNode{A: NewArray([]float64{1, 0.1, -3}, []int{3}, Float64)}, &ConstNode{V: 0.5, Dt: Float64},
	}
	checked := 0
	for op := range BinaryFuncs {
		for _, an := range operands[:5:5] {
			for _, b := range operands {
				n, ok, err := NewBinary(op, an, b)
				if err != nil || !ok {
					continue
				}
				bn := n.(*BinaryNode)
				fn, known := BinaryKernel(op, bn.Dt)
				if !known {
					t.Fatalf("%s: no kernel", op)
				}
				checked++
				for _, x := range xs {
					for _, y := range xs {
						if g, w := fn(x, y), bn.Fn(x, y); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
							t.Errorf("%v %s %v (%v): worker kernel %v, kernel's %v", x, op, y, bn.Dt, g, w)
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d operator and dtype pairs checked", checked)
	}
	for op := range UnaryFuncs {
		for _, an := range operands[:5:5] {
			n, err := UnaryOp(op, an)
			if err != nil {
				continue
			}
			un := n.(*UnaryNode)
			fn, _ := UnaryKernel(op, un.Dt)
			for _, x := range xs {
				if g, w := fn(x), un.Fn(x); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Errorf("%s %v (%v): worker kernel %v, kernel's %v", op, x, un.Dt, g, w)
				}
			}
		}
	}
}
