package dashboard

import (
	"math"
	"time"
)

// window is the recent past over which the workers page rates tasks per second and
// how busy each worker was.
const window = 5.0 // seconds

// snapshot is what one event of a stream carries: the tasks finished since the
// stream's previous event, the running tasks, the passes and per-worker rates.
type snapshot struct {
	Now     float64      `json:"now"`     // seconds since the dashboard started
	Tasks   []taskJSON   `json:"tasks"`   // finished since the last event, oldest first
	Skipped uint64       `json:"skipped"` // tasks that fell out of the ring before this stream saw them
	Running []taskJSON   `json:"running"` // started, not finished (End is 0)
	Passes  []passJSON   `json:"passes"`
	Workers []workerJSON `json:"workers"`
	System  *systemJSON  `json:"system,omitempty"`
}

type taskJSON struct {
	Worker int     `json:"w"`
	Op     string  `json:"op"`
	Start  float64 `json:"s"`
	End    float64 `json:"e,omitempty"`
}

type passJSON struct {
	ID      int     `json:"id"`
	Op      string  `json:"op"`
	Done    int     `json:"done"`
	Total   int     `json:"total"`
	Bytes   int64   `json:"bytes"`
	Elapsed float64 `json:"elapsed"`
	ETA     float64 `json:"eta"` // seconds left at the pass's rate so far; -1 unknown
	Ended   bool    `json:"ended"`
	Stopped bool    `json:"stopped"`
}

type workerJSON struct {
	Worker int     `json:"w"`
	Tasks  int     `json:"tasks"` // since the dashboard started
	Rate   float64 `json:"rate"`  // tasks per second over the window
	Busy   float64 `json:"busy"`  // fraction of the window spent in tasks
}

// ms rounds seconds to milliseconds, which is all a chart shows.
func ms(s float64) float64 { return math.Round(s*1000) / 1000 }

// snapshot samples the hub for a stream that has seen the tasks before cursor, and
// returns the new cursor.
func (h *hub) snapshot(cursor uint64) (snapshot, uint64) {
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := snapshot{Now: ms(h.since(now))}
	if h.seq-cursor > ringSize {
		s.Skipped = h.seq - ringSize - cursor
		cursor = h.seq - ringSize
	}
	s.Tasks = make([]taskJSON, 0, h.seq-cursor)
	for k := cursor; k < h.seq; k++ {
		t := h.ring[k%ringSize]
		s.Tasks = append(s.Tasks, taskJSON{t.Worker, t.Op, ms(t.Start), ms(t.End)})
	}
	s.Running = make([]taskJSON, 0, len(h.running))
	for _, r := range h.running {
		s.Running = append(s.Running, taskJSON{Worker: r.worker, Op: operation(r.pass.Label), Start: ms(r.start)})
	}
	s.Passes = h.passesJSON(now)
	s.Workers = h.workersJSON(s.Now)
	return s, h.seq
}

// passesJSON describes the passes; the caller holds h.mu.
func (h *hub) passesJSON(now time.Time) []passJSON {
	out := make([]passJSON, 0, len(h.passes))
	for _, ps := range h.passes {
		end := now
		if ps.ended {
			end = ps.endedAt
		}
		elapsed := end.Sub(ps.p.Started).Seconds()
		bytes := ps.bytes
		if !ps.ended && ps.p.Bytes != nil {
			bytes = ps.p.Bytes()
		}
		eta := -1.0
		if ps.ended {
			eta = 0
		} else if ps.done > 0 {
			eta = elapsed / float64(ps.done) * float64(ps.p.Tasks-ps.done)
		}
		out = append(out, passJSON{ID: ps.id, Op: ps.op, Done: ps.done, Total: ps.p.Tasks, Bytes: bytes,
			Elapsed: ms(elapsed), ETA: ms(eta), Ended: ps.ended, Stopped: ps.stopped})
	}
	return out
}

// workersJSON rates every worker over the last window seconds before now (dashboard
// clock); the caller holds h.mu.
func (h *hub) workersJSON(now float64) []workerJSON {
	n := len(h.counts)
	for _, r := range h.running {
		n = max(n, r.worker+1)
	}
	out := make([]workerJSON, n)
	from := now - window
	for w := range out {
		out[w].Worker = w
		if w < len(h.counts) {
			out[w].Tasks = h.counts[w]
		}
	}
	oldest := h.seq - min(h.seq, ringSize)
	for k := h.seq; k > oldest; k-- {
		t := h.ring[(k-1)%ringSize]
		if t.End < from {
			break // the ring is in order of finishing
		}
		out[t.Worker].Rate++
		out[t.Worker].Busy += t.End - max(t.Start, from)
	}
	for _, r := range h.running {
		out[r.worker].Busy += now - max(r.start, from)
	}
	for w := range out {
		out[w].Rate = ms(out[w].Rate / window)
		out[w].Busy = ms(min(1, out[w].Busy/window))
	}
	return out
}
