package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// serveEvents is the event stream: one "state" event per sample, every Interval while
// a pass runs, four times as long while idle. It holds no lock while writing, so a
// browser that reads slowly or not at all delays only itself; a write that takes longer
// than WriteTimeout ends the stream.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	select {
	case s.streams <- struct{}{}:
	default:
		http.Error(w, fmt.Sprintf("503: %d event streams are open already; close a dashboard tab", s.opt.MaxStreams), http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	defer func() { <-s.streams; s.wg.Done() }()
	ctx, cancel := s.context(r)
	defer cancel()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	var cursor uint64
	if s.seq0() > ringSize {
		cursor = s.seq0() - ringSize
	}
	for {
		snap, next := s.snapshot(cursor)
		snap.System = s.sys.sample()
		busy := len(snap.Running) > 0 || len(snap.Tasks) > 0 || anyRunning(snap.Passes)
		data, err := json.Marshal(snap)
		if err != nil {
			return
		}
		_ = rc.SetWriteDeadline(time.Now().Add(s.opt.WriteTimeout))
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", data); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		cursor = next
		wait := s.opt.Interval
		if !busy {
			wait *= 4
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// seq0 is how many tasks have finished.
func (h *hub) seq0() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

func anyRunning(ps []passJSON) bool {
	for _, p := range ps {
		if !p.Ended {
			return true
		}
	}
	return false
}

// serveState answers one snapshot as JSON, with every task the ring holds.
func (s *Server) serveState(w http.ResponseWriter, r *http.Request) {
	snap, _ := s.snapshot(0)
	snap.System = s.sys.sample()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(snap)
}
