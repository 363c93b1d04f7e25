package distributed

import (
	"gokist/runtime/lazy"
	"slices"
	"sync"
	"time"
	"weak"
)

// keptArrays bounds the computed arrays a client remembers for its dashboard's memory
// page; beyond it the smallest are forgotten.
const keptArrays = 64

// ArrayInfo describes an in-memory array a compute returned that is still alive.
type ArrayInfo struct {
	Label    string    `json:"label"` // what computed it, e.g. "compute() of sum"
	Shape    []int     `json:"shape"`
	DType    string    `json:"dtype"`
	Bytes    int64     `json:"bytes"`
	Computed time.Time `json:"computed"`
}

// liveArrays remembers the arrays a client's computes returned through weak pointers,
// so that the list holds no memory: an array nothing else refers to drops out of it.
type liveArrays struct {
	mu      sync.Mutex
	entries []liveArray
}

type liveArray struct {
	p    weak.Pointer[lazy.Array]
	info ArrayInfo
}

// note remembers a, computed by the graph whose root is named what.
func (l *liveArrays) note(a *lazy.Array, what string) {
	info := ArrayInfo{Label: "compute() of " + what, Shape: a.Shape(), DType: a.DT.String(),
		Bytes: int64(len(a.Values))*8 + int64(len(a.Values32))*4, Computed: time.Now()}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, liveArray{weak.Make(a), info})
	if len(l.entries) > keptArrays {
		l.prune()
		if len(l.entries) > keptArrays {
			l.entries = l.entries[:keptArrays] // prune sorted them, largest first
		}
	}
}

// prune drops the arrays that are gone and sorts the rest, largest first; the caller
// holds l.mu.
func (l *liveArrays) prune() {
	l.entries = slices.DeleteFunc(l.entries, func(e liveArray) bool { return e.p.Value() == nil })
	slices.SortStableFunc(l.entries, func(a, b liveArray) int {
		return int(min(1, max(-1, b.info.Bytes-a.info.Bytes)))
	})
}

// largest returns up to n of the live arrays, largest first.
func (l *liveArrays) largest(n int) []ArrayInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune()
	out := make([]ArrayInfo, 0, min(n, len(l.entries)))
	for _, e := range l.entries[:min(n, len(l.entries))] {
		out = append(out, e.info)
	}
	return out
}

// Computed remembers an array a compute returned, for the dashboard's memory page.
func (c *Client) Computed(a *lazy.Array, label string) { c.dash.arrays.note(a, label) }

// LargestArrays lists up to n of the arrays the client's computes returned that are
// still alive (a session name, a list, anything holds them), largest first.
func (c *Client) LargestArrays(n int) []ArrayInfo { return c.dash.arrays.largest(n) }
