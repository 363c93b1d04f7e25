package dashboard

import (
	"strings"
	"sync"
	"time"

	"gokist/runtime/sched"
)

// ringSize is how many finished tasks the hub keeps for the task stream: a browser that
// connects sees up to this many, one that falls behind by more skips the oldest.
const ringSize = 8192

// keptPasses is how many finished passes stay listed under the progress bars.
const keptPasses = 6

// hub is the dashboard's sched.Monitor: counters and a ring of recent tasks, written by
// the compute's workers under one short lock and read by the event streams' samples.
type hub struct {
	epoch time.Time // the origin of every time the dashboard sends

	mu      sync.Mutex
	seq     uint64    // tasks finished so far; task k is ring[k%ringSize]
	ring    []task    // the last ringSize finished tasks
	running []running // tasks started and not yet finished
	passes  []*pass   // running passes, then the last finished ones
	nextID  int
	counts  []int // tasks finished per worker since the dashboard started
}

// task is one finished task on the dashboard's clock (seconds since epoch).
type task struct {
	Worker     int     `json:"w"`
	Op         string  `json:"op"`
	Start, End float64 `json:"-"`
}

// running is a task in progress.
type running struct {
	pass   *sched.Pass
	worker int
	start  float64 // since epoch
}

// pass is a pass of a compute as the dashboard tracks it.
type pass struct {
	id      int
	p       *sched.Pass
	op      string
	done    int
	ended   bool
	stopped bool
	endedAt time.Time
	bytes   int64 // sampled when the pass ended (Bytes may keep counting later passes)
}

func newHub() *hub { return &hub{epoch: time.Now(), ring: make([]task, ringSize)} }

// since is t on the dashboard's clock.
func (h *hub) since(t time.Time) float64 { return t.Sub(h.epoch).Seconds() }

// operation is what colours a bar: the pass's label without the task number.
func operation(label string) string {
	if i := strings.LastIndexByte(label, ' '); i > 0 && strings.Trim(label[i+1:], "0123456789") == "" {
		return label[:i]
	}
	return label
}

// PassStarted lists p under the progress bars.
func (h *hub) PassStarted(p *sched.Pass) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	h.passes = append(h.passes, &pass{id: h.nextID, p: p, op: operation(p.Label)})
}

// maxWorker bounds the worker numbers the hub accepts: an executor reporting a negative
// or absurd number (a bug elsewhere) must neither crash the compute nor grow the hub's
// per-worker counts without bound; such tasks are left out.
const maxWorker = 1 << 16

func validWorker(w int) bool { return w >= 0 && w < maxWorker }

// TaskStarted marks worker busy with a task of p.
func (h *hub) TaskStarted(p *sched.Pass, worker int, start float64) {
	if !validWorker(worker) {
		return
	}
	s := h.since(p.Origin) + start
	h.mu.Lock()
	h.running = append(h.running, running{pass: p, worker: worker, start: s})
	h.mu.Unlock()
}

// TaskDone adds the task to the ring and counts it for its pass.
func (h *hub) TaskDone(p *sched.Pass, rec sched.TaskRecord) {
	off := h.since(p.Origin)
	h.mu.Lock()
	defer h.mu.Unlock()
	op := ""
	for i := len(h.passes) - 1; i >= 0; i-- {
		if ps := h.passes[i]; ps.p == p {
			ps.done++
			op = ps.op
			break
		}
	}
	if !validWorker(rec.Worker) {
		return
	}
	if op == "" { // a pass the hub never heard start
		op = operation(rec.Label)
	}
	h.ring[h.seq%ringSize] = task{Worker: rec.Worker, Op: op, Start: off + rec.Start, End: off + rec.End}
	h.seq++
	for len(h.counts) <= rec.Worker {
		h.counts = append(h.counts, 0)
	}
	h.counts[rec.Worker]++
	h.dropRunning(p, rec.Worker)
}

// dropRunning forgets worker's running task of p (at most one).
func (h *hub) dropRunning(p *sched.Pass, worker int) {
	for i, r := range h.running {
		if r.pass == p && r.worker == worker {
			last := len(h.running) - 1
			h.running[i] = h.running[last]
			h.running = h.running[:last]
			return
		}
	}
}

// PassEnded marks p finished (or stopped) and forgets its running tasks (a failed task
// never reports done).
func (h *hub) PassEnded(p *sched.Pass, done int, stopped bool) {
	var bytes int64
	if p.Bytes != nil {
		bytes = p.Bytes()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	kept := h.running[:0]
	for _, r := range h.running {
		if r.pass != p {
			kept = append(kept, r)
		}
	}
	h.running = kept
	for _, ps := range h.passes {
		if ps.p == p {
			ps.ended, ps.stopped, ps.endedAt, ps.done, ps.bytes = true, stopped, time.Now(), done, bytes
			// Keep what the progress bar shows, not Bytes: its closure holds the
			// compute's state (task records, buffers) alive.
			ps.p = &sched.Pass{Label: p.Label, Tasks: p.Tasks, Workers: p.Workers, Origin: p.Origin, Started: p.Started}
		}
	}
	h.trimPasses()
}

// trimPasses keeps the running passes and the last keptPasses finished ones.
func (h *hub) trimPasses() {
	finished := 0
	for _, ps := range h.passes {
		if ps.ended {
			finished++
		}
	}
	kept := h.passes[:0]
	for _, ps := range h.passes {
		if ps.ended && finished > keptPasses {
			finished--
			continue
		}
		kept = append(kept, ps)
	}
	clear(h.passes[len(kept):])
	h.passes = kept
}
