package kernel

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"sync"
	"time"

	"gokist/obj"
)

// Tuning of what a running cell shows.
const (
	// streamDelay is how long stream text may wait to be coalesced with more text.
	streamDelay = 30 * time.Millisecond
	// streamMax is the buffered text size that is sent without waiting.
	streamMax = 64 << 10
	// progressDelay is how long a computation runs before a progress bar appears.
	progressDelay = 500 * time.Millisecond
	// progressEvery is the least time between two progress bar updates.
	progressEvery = 250 * time.Millisecond
)

// cellOutput is the obj.Output of one execute_request: it turns what the cell shows into
// iopub messages whose parent is the request. The runtime may call it from its worker
// goroutines, so it is safe for concurrent use. A silent execute shows nothing.
type cellOutput struct {
	k      *Kernel
	parent *Message
	silent bool

	mu         sync.Mutex
	streamName string
	stream     strings.Builder
	timer      *time.Timer
	payload    []map[string]any
	progress   progressBar
	done       bool
}

// progressBar is the state of the bar of the computation in progress.
type progressBar struct {
	started   time.Time // when the first report arrived
	displayID string    // set once the bar is shown
	// lastShown is the report's Elapsed when the bar was last drawn. Throttling on the
	// computation's own clock rather than the wall clock makes the updates a function of
	// the reports alone: the same reports give the same updates however loaded the
	// machine is (the runtime stamps every report with its Elapsed).
	lastShown time.Duration
	last      obj.Progress // the latest report
}

var _ obj.Output = (*cellOutput)(nil)

func newCellOutput(k *Kernel, parent *Message, silent bool) *cellOutput {
	return &cellOutput{k: k, parent: parent, silent: silent}
}

// Stream buffers text for a short while so many small writes make one stream message.
func (o *cellOutput) Stream(name, text string) {
	if name != "stderr" {
		name = "stdout"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.silent || o.done || text == "" {
		return
	}
	if o.streamName != name {
		o.flushLocked()
	}
	o.streamName = name
	o.stream.WriteString(text)
	if o.stream.Len() >= streamMax {
		o.flushLocked()
		return
	}
	if o.timer == nil {
		o.timer = time.AfterFunc(streamDelay, func() {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.timer = nil
			o.flushLocked()
		})
	}
}

// flushLocked sends the buffered stream text.
func (o *cellOutput) flushLocked() {
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	if o.stream.Len() == 0 {
		return
	}
	o.k.publish(o.parent, "stream", map[string]any{"name": o.streamName, "text": o.stream.String()})
	o.stream.Reset()
}

// Display sends display_data, or update_display_data for update with a display id.
func (o *cellOutput) Display(bundle map[string]any, metadata map[string]any, displayID string, update bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.silent || o.done {
		return
	}
	o.flushLocked()
	o.displayLocked(bundle, metadata, displayID, update)
}

func (o *cellOutput) displayLocked(bundle, metadata map[string]any, displayID string, update bool) {
	if metadata == nil {
		metadata = map[string]any{}
	}
	if _, ok := bundle["text/plain"]; !ok {
		bundle = withAltText(bundle, metadata)
	}
	content := map[string]any{"data": bundle, "metadata": metadata, "transient": map[string]any{}}
	msgType := "display_data"
	if displayID != "" {
		content["transient"] = map[string]any{"display_id": displayID}
		if update {
			msgType = "update_display_data"
		}
	}
	o.k.publish(o.parent, msgType, content)
}

// ClearOutput sends clear_output after any buffered text.
func (o *cellOutput) ClearOutput(wait bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.silent || o.done {
		return
	}
	o.flushLocked()
	o.k.publish(o.parent, "clear_output", map[string]any{"wait": wait})
}

// Page adds a pager payload to the execute_reply.
func (o *cellOutput) Page(text string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done {
		return
	}
	o.payload = append(o.payload, map[string]any{
		"source": "page", "data": map[string]any{"text/plain": text}, "start": 0,
	})
}

// Progress shows a bar once a computation has run for progressDelay, updates it at most
// every progressEvery of the computation's Elapsed, and replaces it with a one-line
// summary when it finishes.
func (o *cellOutput) Progress(p obj.Progress) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.silent || o.done {
		return
	}
	now := time.Now()
	bar := &o.progress
	if bar.started.IsZero() {
		bar.started = now.Add(-p.Elapsed)
	}
	if p.Elapsed <= 0 {
		p.Elapsed = now.Sub(bar.started)
	}
	bar.last = p
	switch {
	case p.Finished:
		if bar.displayID != "" {
			o.flushLocked()
			// The runtime also sends its last report when the work was cancelled; a
			// bar that stopped short must not read like a success.
			line := progressSummary(p)
			if p.Done < p.Total {
				line = progressStopped(p)
			}
			o.displayLocked(line, nil, bar.displayID, true)
		}
		o.progress = progressBar{}
	case bar.displayID == "":
		if p.Elapsed < progressDelay {
			return
		}
		o.flushLocked()
		bar.displayID = "gokist-progress-" + newID()
		bar.lastShown = p.Elapsed
		o.displayLocked(progressBundle(p), nil, bar.displayID, false)
	case p.Elapsed < bar.lastShown:
		// Another computation started its clock afresh without ending this one; throttle
		// from its time on rather than holding its updates back until it catches up.
		bar.lastShown = p.Elapsed
	case p.Elapsed-bar.lastShown >= progressEvery:
		bar.lastShown = p.Elapsed
		o.displayLocked(progressBundle(p), nil, bar.displayID, true)
	}
}

// finish sends what is still buffered and replaces a bar whose computation never
// reported its end (the cell failed or was interrupted) by a line saying where it
// stopped; later calls (from stray goroutines) are dropped.
func (o *cellOutput) finish() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
	if bar := o.progress; bar.displayID != "" {
		p := bar.last
		p.Elapsed = time.Since(bar.started)
		o.displayLocked(progressStopped(p), nil, bar.displayID, true)
	}
	o.done = true
}

// progressBundle draws the bar as text and HTML: tasks done of total, bytes, rate.
func progressBundle(p obj.Progress) map[string]any {
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	frac = min(max(frac, 0), 1)
	const width = 30
	filled := int(frac*width + 0.5)
	label := p.Label
	if label == "" {
		label = "compute"
	}
	stats := fmt.Sprintf("%d/%d tasks, %s, %s", p.Done, p.Total, formatBytes(p.Bytes), formatRate(p.Bytes, p.Elapsed))
	text := fmt.Sprintf("%s [%s%s] %3.0f%% %s, %.1f s", label, strings.Repeat("#", filled),
		strings.Repeat("-", width-filled), frac*100, stats, p.Elapsed.Seconds())
	htmlText := fmt.Sprintf(`<div class="gokist-progress"><span>%s</span> `+
		`<progress value="%d" max="%d" style="width:20em"></progress> %.0f%% <span>%s, %.1f s</span></div>`,
		html.EscapeString(label), p.Done, max(p.Total, 1), frac*100, html.EscapeString(stats), p.Elapsed.Seconds())
	return map[string]any{"text/plain": text, "text/html": htmlText}
}

// progressSummary is the line that replaces a finished bar.
func progressSummary(p obj.Progress) map[string]any {
	label := p.Label
	if label == "" {
		label = "compute"
	}
	text := fmt.Sprintf("%s: %d tasks, %s in %.2f s (%s)", label, p.Done, formatBytes(p.Bytes),
		p.Elapsed.Seconds(), formatRate(p.Bytes, p.Elapsed))
	return map[string]any{"text/plain": text, "text/html": "<div class=\"gokist-progress\">" + html.EscapeString(text) + "</div>"}
}

// progressStopped is the line that replaces the bar of a computation that did not finish.
func progressStopped(p obj.Progress) map[string]any {
	label := p.Label
	if label == "" {
		label = "compute"
	}
	text := fmt.Sprintf("%s: stopped after %d of %d tasks, %s in %.2f s", label, p.Done, p.Total,
		formatBytes(p.Bytes), p.Elapsed.Seconds())
	return map[string]any{"text/plain": text, "text/html": "<div class=\"gokist-progress\">" + html.EscapeString(text) + "</div>"}
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, exp := float64(n), 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGT"[exp-1])
}

func formatRate(n int64, d time.Duration) string {
	if d <= 0 {
		return "– B/s"
	}
	return formatBytes(int64(float64(n)/d.Seconds())) + "/s"
}

// withAltText adds the text/plain form every display should have (terminals such as
// jupyter console show only that) when the value gave none: its kinds and, for images,
// their size.
func withAltText(bundle, metadata map[string]any) map[string]any {
	out := make(map[string]any, len(bundle)+1)
	kinds := make([]string, 0, len(bundle))
	for k, v := range bundle {
		out[k] = v
		desc := k
		if md, ok := metadata[k].(map[string]any); ok {
			if w, h := md["width"], md["height"]; w != nil && h != nil {
				desc = fmt.Sprintf("%s %v×%v", k, w, h)
			}
		}
		kinds = append(kinds, desc)
	}
	sort.Strings(kinds)
	out["text/plain"] = "<" + strings.Join(kinds, ", ") + ">"
	return out
}
