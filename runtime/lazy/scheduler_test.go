package lazy

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gokist/fits"
)

// backwards is an executor that runs every task on one worker, last task first: a
// stand-in for a backend whose order differs from the local pool's.
type backwards struct{ ran int }

func (b *backwards) Workers() int { return 1 }
func (b *backwards) Run(ctx context.Context, what string, n int, task func(worker, i int) error) error {
	for i := n - 1; i >= 0; i-- {
		if err := task(0, i); err != nil {
			return err
		}
		b.ran++
	}
	return nil
}

// heard counts the tasks a listener is told of.
type heard struct {
	mu    sync.Mutex
	tasks []TaskRecord
}

func (h *heard) TaskDone(t TaskRecord) {
	h.mu.Lock()
	h.tasks = append(h.tasks, t)
	h.mu.Unlock()
}

// writeGrid writes data, of shape grid + file, as a grid of float64 FITS files (one
// image of shape file each, row-major over grid) and gives the FileGrid reading them.
func writeGrid(t *testing.T, grid, file []int, data []float64) *FileGrid {
	t.Helper()
	g := &FileGrid{Dir: t.TempDir(), GridShape: grid, FileShape: file, DType: Float64, Bitpix: -64}
	per := Product(file)
	for i := range Product(grid) {
		path := filepath.Join(g.Dir, fmt.Sprintf("f%03d.fits", i))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := fits.WriteImage(f, nil, file, data[i*per:(i+1)*per], fits.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		g.Files = append(g.Files, path)
	}
	for ax := range file {
		g.InFile = append(g.InFile, ax)
	}
	return g
}

// A compute runs its tasks on the client's executor, whatever it is, and a listener
// hears of each one: a sum over 2x3 files of 4x5 values computed task by task in
// reverse equals the sum of the values written, worked out here.
func TestComputeRunsOnPluggedExecutor(t *testing.T) {
	data := make([]float64, 2*3*4*5)
	want := 0.0
	for i := range data {
		data[i] = math.Mod(float64(i*17%29), 6.5) - 1.25
		want += data[i]
	}
	g := writeGrid(t, []int{2, 3}, []int{4, 5}, data)
	client := NewClient(2, 1, 1<<30)
	client.Plan.MaxBlockElems = 7 // several tasks per file
	exec, events := &backwards{}, &heard{}
	client.SetExecutor(exec, events)
	src := Lazy{&SourceNode{Src: g, Sel: IdentitySelection(g.Shape())}}
	got, err := src.Reduce(Sum, nil, false).Compute(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Data()[0]; math.Abs(g-want) > 1e-9*math.Abs(want) {
		t.Errorf("sum on the backwards executor %v, want %v", g, want)
	}
	if exec.ran < 2 || len(events.tasks) != exec.ran || len(client.Tasks()) == 0 {
		t.Errorf("executor ran %d tasks, the listener heard %d, the task stream has %d", exec.ran, len(events.tasks), len(client.Tasks()))
	}
}
