package dashboard

import (
	"runtime/metrics"
	"sync"
	"syscall"
	"time"

	"gokist/runtime/distributed"
	"gokist/runtime/sched"
)

// systemEvery is how often the slow parts of a snapshot (memory, CPU, a cluster's
// workers) are sampled, whatever the number of streams.
const systemEvery = time.Second

// shownArrays is how many of the largest computed arrays the memory page lists.
const shownArrays = 10

// systemJSON is the memory page and the process's line on the workers page.
type systemJSON struct {
	Workers          int                     `json:"workers"`
	ThreadsPerWorker int                     `json:"threads_per_worker"`
	Threads          int                     `json:"threads"`
	MemoryLimit      int64                   `json:"memory_limit"`
	CacheLimit       int64                   `json:"cache_limit"`
	CacheUsed        int64                   `json:"cache_used"`
	CacheEntries     int                     `json:"cache_entries"`
	ProcessMemory    int64                   `json:"process_memory"` // what the Go runtime holds from the OS
	Heap             int64                   `json:"heap"`           // live and unswept heap objects
	CPU              float64                 `json:"cpu"`            // percent of one core, over the last sample
	Cluster          []sched.WorkerStatus    `json:"cluster,omitempty"`
	Arrays           []distributed.ArrayInfo `json:"arrays"` // the largest computed arrays still held
}

// system samples the client and the process at most once per systemEvery and shares
// the sample among streams; a cluster's worker list is asked for on its own goroutine,
// so a slow cluster delays only its own rows.
type system struct {
	client *distributed.Client

	mu       sync.Mutex
	last     *systemJSON
	at       time.Time
	cpuAt    time.Time
	cpuTime  time.Duration
	cluster  []sched.WorkerStatus
	clusterQ bool // a WorkerStatus call is in flight
}

// sample returns the latest sample, taking a new one when the last is older than
// systemEvery.
func (s *system) sample() *systemJSON {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.last != nil && now.Sub(s.at) < systemEvery {
		return s.last
	}
	st := s.client.Status()
	j := &systemJSON{Workers: st.Workers, ThreadsPerWorker: st.ThreadsPerWorker, Threads: st.Threads,
		MemoryLimit: st.MemoryLimit, CacheLimit: st.CacheLimit, CacheUsed: st.CacheUsed, CacheEntries: st.CacheEntries,
		ProcessMemory: st.ProcessMemory, Heap: heapBytes(), CPU: s.cpuPercent(now), Cluster: s.cluster,
		Arrays: s.client.LargestArrays(shownArrays)}
	if r, ok := st.Executor.(sched.WorkerReporter); ok && !s.clusterQ {
		s.clusterQ = true
		go s.askCluster(r)
	}
	s.last, s.at = j, now
	return j
}

// askCluster fetches a cluster's worker list for the next sample.
func (s *system) askCluster(r sched.WorkerReporter) {
	var ws []sched.WorkerStatus
	defer func() {
		recover() // a failing backend leaves the last list shown
		s.mu.Lock()
		if ws != nil {
			s.cluster = ws
		}
		s.clusterQ = false
		s.mu.Unlock()
	}()
	ws = r.WorkerStatus()
}

// cpuPercent is the process's CPU use since the last call, in percent of one core.
func (s *system) cpuPercent(now time.Time) float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	used := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var pct float64
	if !s.cpuAt.IsZero() && now.After(s.cpuAt) {
		pct = ms(100 * (used - s.cpuTime).Seconds() / now.Sub(s.cpuAt).Seconds())
	}
	s.cpuAt, s.cpuTime = now, used
	return pct
}

// heapBytes is the memory in heap objects, live or not yet swept.
func heapBytes() int64 {
	m := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(m[0].Value.Uint64())
}
