package lazy

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"gokist/obj"
)

// Remote runs a compute's passes on a cluster, each block a task in another process,
// and merges what comes back in block order, so that the result has the same bits as
// in process. runtime/lazy/wire implements it over a sched.Remote (the dask bridge);
// a session's Attachments hand it to the client.
type Remote interface {
	// Workers is how many tasks the cluster runs at once.
	Workers() int
	// Reduce runs red's chunk step over each block of its input and merges the
	// partials into an accumulator over outShape.
	Reduce(r *Run, red *ReduceNode, blocks []Block, outShape []int) (*Accumulator, error)
	// Eval computes each block of n into the output: out32 when it is float32, out
	// otherwise.
	Eval(r *Run, n Node, blocks []Block, out []float64, out32 []float32) error
}

// BlockResult is one block computed as the in-process executor computes it: the
// block's values (F32 when the pipeline is float32, F64 otherwise) or, for a reduction,
// its partial over the output box [OLo, OHi); with the bytes decoded from files and the
// blocks of missing files filled with NaN.
type BlockResult struct {
	F64      []float64
	F32      []float32
	Part     *Accumulator
	OLo, OHi []int
	Bytes    int64
	Missing  int64
}

// ComputeBlock computes the block [lo, hi) of root (red non-nil: red's chunk step over
// that block of its input root) on client, as a task of a compute in process does: a
// cluster worker runs it for the kernel.
func ComputeBlock(ctx context.Context, client *Client, root Node, red *ReduceNode, lo, hi []int) (*BlockResult, error) {
	r := &Run{Ctx: ctx, Client: client}
	res := &BlockResult{}
	var err error
	if red != nil {
		br := &BlockReducer{Red: red, InShape: root.Shape(), InSt: StridesOf(root.Shape())}
		res.Part, res.OLo, res.OHi, err = r.chunkBlock(br, Block{lo, hi}, nil, nil)
	} else if n32, ok := float32Path(root); ok && root.DType() == Float32 {
		res.F32 = make([]float32, BoxSize(lo, hi))
		err = n32.eval32(r, lo, hi, res.F32)
	} else {
		res.F64 = make([]float64, BoxSize(lo, hi))
		err = root.Eval(r, lo, hi, res.F64)
	}
	if err != nil {
		return nil, err
	}
	res.Bytes, res.Missing = r.Bytes.Load(), r.missing.Load()
	return res, nil
}

// RemotePass is the kernel's side of a pass whose tasks run elsewhere, kept as
// forEachBlock keeps it in process: progress, the task stream, the listener, the
// compute's counters, Interrupted on a cancelled context.
type RemotePass struct {
	r        *Run
	label    string
	blocks   int
	done     atomic.Int64
	progress func(finished, stopped bool)
	listener TaskListener
	origin   float64 // the compute's start, in seconds since the Unix epoch
}

// StartRemotePass begins a pass of n blocks named label.
func (r *Run) StartRemotePass(label string, n int) *RemotePass {
	start := time.Now()
	if r.start.IsZero() {
		r.start = start
	}
	p := &RemotePass{r: r, label: label, blocks: n, listener: r.Client.listener(), origin: float64(r.start.UnixNano()) / 1e9}
	p.progress = r.progressReporter(label, n, start, &p.done)
	p.progress(false, false)
	return p
}

// AddCounts adds a block's counters to the compute's; the first missing file read
// warns the cell, as in process.
func (p *RemotePass) AddCounts(root Node, bytes, missing int64) {
	p.r.Bytes.Add(bytes)
	if missing > 0 && p.r.missing.Add(missing) == missing {
		if g := gridOf(root); g != nil {
			warnMissingOnce(p.r, g)
		}
	}
}

// TaskDone records a finished task of blocks blocks (rec's Start and End in seconds
// since the Unix epoch by the worker's clock), tells the listener and the progress bar.
func (p *RemotePass) TaskDone(rec TaskRecord, task, blocks int) {
	rec.Label = fmt.Sprintf("%s %d", p.label, task)
	rec.Start, rec.End = max(0, rec.Start-p.origin), max(0, rec.End-p.origin)
	p.r.record(rec)
	if p.listener != nil {
		p.listener.TaskDone(rec)
	}
	p.done.Add(int64(blocks))
	p.progress(false, false)
}

// End ends the pass with the error the cluster's run returned: the final progress, and
// Interrupted when the compute's context ended.
func (p *RemotePass) End(err error) error {
	p.progress(true, err != nil || p.r.Ctx.Err() != nil)
	if p.r.Ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "%s interrupted after %d of %d chunks (the dask cluster's remaining tasks were cancelled)", p.label, p.done.Load(), p.blocks)
	}
	return err
}

// gridOf is the first file grid a graph reads, or nil.
func gridOf(n Node) *FileGrid {
	var g *FileGrid
	anyNode(n, func(x Node) bool {
		if s, ok := x.(*SourceNode); ok {
			g = s.Src
			return true
		}
		return false
	})
	return g
}
