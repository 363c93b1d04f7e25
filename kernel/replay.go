package kernel

import "sync"

// digestHistorySize is how many signatures the kernel remembers, as jupyter_client's
// Session.digest_history_size (2^16).
const digestHistorySize = 1 << 16

// digestHistory remembers the signatures of the signed messages received, on every
// channel, so that a replayed message (the same bytes sent again, by anyone who saw
// them) is dropped instead of executed again: jupyter_client's Session keeps such a
// digest_history and rejects a duplicate signature. Past the size it forgets the oldest
// tenth at once (jupyter_client forgets a random tenth); a signature is 32 bytes or so,
// so the history stays within a few MiB.
type digestHistory struct {
	mu    sync.Mutex
	seen  map[string]struct{}
	order []string // oldest first
	size  int
}

func newDigestHistory(size int) *digestHistory {
	return &digestHistory{seen: make(map[string]struct{}), size: size}
}

// add records signature and reports whether it is new.
func (h *digestHistory) add(signature []byte) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	sig := string(signature)
	if _, dup := h.seen[sig]; dup {
		return false
	}
	h.seen[sig] = struct{}{}
	h.order = append(h.order, sig)
	if len(h.order) > h.size {
		cull := max(len(h.order)/10, len(h.order)-h.size)
		for _, old := range h.order[:cull] {
			delete(h.seen, old)
		}
		h.order = append([]string(nil), h.order[cull:]...)
	}
	return true
}
