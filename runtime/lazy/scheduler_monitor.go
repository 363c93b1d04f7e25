package lazy

import (
	"time"

	"gokist/runtime/sched"
)

// passMonitor tells the client's monitor (its live dashboard, when one runs) about one
// pass of a compute. Without a monitor every method does nothing, so a compute nobody
// watches pays one nil check per task.
type passMonitor struct {
	m    sched.Monitor
	pass *sched.Pass
}

// startPass announces a pass of label over n tasks to the client's monitor, if any.
func (r *Run) startPass(label string, n int, start time.Time) passMonitor {
	m := r.Client.monitor()
	if m == nil {
		return passMonitor{}
	}
	p := &sched.Pass{Label: label, Tasks: n, Workers: r.Client.Executor().Workers(), Origin: r.start, Started: start, Bytes: r.Bytes.Load}
	m.PassStarted(p)
	return passMonitor{m, p}
}

func (p passMonitor) taskStarted(worker int, t0 float64) {
	if p.m != nil {
		p.m.TaskStarted(p.pass, worker, t0)
	}
}

func (p passMonitor) taskDone(rec TaskRecord) {
	if p.m != nil {
		p.m.TaskDone(p.pass, rec)
	}
}

func (p passMonitor) ended(done int64, stopped bool) {
	if p.m != nil {
		p.m.PassEnded(p.pass, int(done), stopped)
	}
}
