package lang

import (
	"context"
	"testing"

	"gokist/runtime/obj"
)

// BenchmarkExecuteArithmetic times parse + lower + check + compile + run of a typical
// one-line cell.
func BenchmarkExecuteArithmetic(b *testing.B) {
	s := NewSession()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Execute(ctx, "x = (1 + 2) * 3", obj.Discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecuteMethodCall times a cell that indexes a fake dataset and calls a
// method with a keyword tuple argument (the fake does no data work).
func BenchmarkExecuteMethodCall(b *testing.B) {
	s := NewSession()
	fakeRuntime(s)
	s.bind("ds", &fakeDataset{log: &callLog{}, shape: []int{4, 80, 160, 2555}})
	ctx := context.Background()
	for b.Loop() {
		log := s.globals["ds"].(*fakeDataset).log
		log.calls = log.calls[:0]
		if _, err := s.Execute(ctx, "r = ds[0, 20:60, :, 1000:1500].data.sum(axis=(0, 2))", obj.Discard{}); err != nil {
			b.Fatal(err)
		}
	}
}
