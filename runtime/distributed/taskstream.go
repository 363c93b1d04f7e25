package distributed

import (
	"encoding/base64"
	"fmt"
	"gokist/runtime/lazy"
	"html"
	"slices"
	"strings"

	"gokist/obj"
	"gokist/runtime/plot/draw"
)

// TaskStream is the task stream of a client's last compute that read a dataset: which
// worker ran which chunk, and when. It displays as a chart (image/png, one row per
// worker, one bar per chunk) with a text summary (tasks per worker, how busy each was,
// the wall time), the way dask's dashboard shows how the work spread over the cores.
type TaskStream struct {
	tasks         []lazy.TaskRecord
	workers       int // workers the compute had available
	width, height int // pixel size of the chart
}

// Tasks returns the recorded tasks, ordered by start time.
func (s *TaskStream) Tasks() []lazy.TaskRecord { return slices.Clone(s.tasks) }

// Type returns the TaskStream member table.
func (s *TaskStream) Type() *obj.Type { return taskStreamType }

// WallTime is the seconds from the compute's start to its last task's end.
func (s *TaskStream) WallTime() float64 {
	var end float64
	for _, t := range s.tasks {
		end = max(end, t.End)
	}
	return end
}

// workerStats gives, per worker index 0…n-1, the number of tasks and the busy seconds.
func (s *TaskStream) workerStats() (counts []int, busy []float64) {
	n := s.workers
	for _, t := range s.tasks {
		n = max(n, t.Worker+1)
	}
	counts, busy = make([]int, n), make([]float64, n)
	for _, t := range s.tasks {
		counts[t.Worker]++
		busy[t.Worker] += t.End - t.Start
	}
	return counts, busy
}

// Summary describes the stream in text: the totals, then one line per worker with its
// task count and the fraction of the wall time it was busy.
func (s *TaskStream) Summary() string {
	if len(s.tasks) == 0 {
		return "Task stream: no compute has read a dataset yet"
	}
	wall := s.WallTime()
	counts, busy := s.workerStats()
	var total float64
	for _, b := range busy {
		total += b
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Task stream: %d tasks on %d workers in %s wall time, workers busy %.0f%% of it\n",
		len(s.tasks), len(counts), seconds(wall), 100*fraction(total, wall*float64(len(counts))))
	for w := range counts {
		fmt.Fprintf(&b, "  worker %d: %d tasks, busy %s (%.0f%%)\n", w, counts[w], seconds(busy[w]), 100*fraction(busy[w], wall))
	}
	return strings.TrimRight(b.String(), "\n")
}

func fraction(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return min(1, a/b)
}

// seconds renders a duration in seconds with a unit that keeps it readable.
func seconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1f ms", s*1e3)
	}
	return fmt.Sprintf("%.2f s", s)
}

// String is the text summary.
func (s *TaskStream) String() string { return s.Summary() }

// PNG draws the chart at the stream's pixel size.
func (s *TaskStream) PNG() ([]byte, error) {
	if len(s.tasks) == 0 {
		return nil, obj.Errorf(obj.ValueError, "the task stream is empty: compute() something from a dataset first")
	}
	tasks := make([]draw.Task, len(s.tasks))
	for i, t := range s.tasks {
		tasks[i] = draw.Task{Worker: t.Worker, Label: t.Label, Start: t.Start, End: t.End}
	}
	return draw.TaskStreamPNG(tasks, s.width, s.height)
}

// MimeBundle shows the chart as image/png (base64) with the summary as text/plain; an
// empty stream, or one that fails to draw, shows the text only.
func (s *TaskStream) MimeBundle() map[string]any {
	text := s.Summary()
	out := map[string]any{"text/plain": text}
	if len(s.tasks) == 0 {
		return out
	}
	png, err := s.PNG()
	if err != nil {
		out["text/plain"] = text + "\n(chart not drawn: " + err.Error() + ")"
		return out
	}
	out["image/png"] = base64.StdEncoding.EncodeToString(png)
	return out
}

var taskStreamType = &obj.Type{
	Name: "TaskStream",
	Doc:  "The task stream of the client's last compute: one bar per chunk, one row per worker, over time. Shown as a chart with a summary of tasks per worker and how busy each was.",
}

var taskStreamPlotParams = []obj.Param{{Name: "width", Default: "640"}, {Name: "height", Default: "240"}}

func initTaskStreamType() {
	ts := func(recv any) *TaskStream { return recv.(*TaskStream) }
	taskStreamType.Members = []*obj.Member{
		obj.Attr("tasks", "The tasks as (worker, chunk, start, end) tuples, seconds from the compute's start; the worker is its number in the kernel, or its address on a dask cluster (as dask's task stream names it).", func(env *obj.Env, recv any) (any, error) {
			out := obj.List{}
			for _, t := range ts(recv).tasks {
				var w any = t.Worker
				if t.Host != "" {
					w = t.Host
				}
				out = append(out, obj.Tuple{w, t.Label, t.Start, t.End})
			}
			return out, nil
		}),

		obj.Attr("n_tasks", "The number of tasks.", func(env *obj.Env, recv any) (any, error) { return len(ts(recv).tasks), nil }),
		obj.Attr("wall_time", "Seconds from the compute's start to the end of its last task.", func(env *obj.Env, recv any) (any, error) { return ts(recv).WallTime(), nil }),
		obj.Method("plot", "plot(width=640, height=240)", "The chart at another pixel size.", taskStreamPlotParams,
			func(env *obj.Env, recv any, v []any) (any, error) {
				s := *ts(recv)
				for i, dst := range []*int{&s.width, &s.height} {
					if v[i] == nil {
						continue
					}
					n, ok := v[i].(int)
					if !ok {
						return nil, obj.Errorf(obj.TypeError, "plot(): %s must be an int number of pixels, not %s", taskStreamPlotParams[i].Name, obj.TypeName(v[i]))
					}
					if n < 50 || n > 10000 {
						return nil, obj.Errorf(obj.ValueError, "plot(): %s %d is outside 50 to 10000 pixels", taskStreamPlotParams[i].Name, n)
					}
					*dst = n
				}
				return &s, nil
			}),
	}
}

// taskStreamHTML is the Client's HTML row about its task stream.
func taskStreamHTML(s *TaskStream) string {
	if len(s.tasks) == 0 {
		return "no compute yet; afterwards <code>client.task_stream</code> charts it"
	}
	counts, _ := s.workerStats()
	return fmt.Sprintf("%d tasks on %d workers in %s; <code>client.task_stream</code> charts it",
		len(s.tasks), len(counts), html.EscapeString(seconds(s.WallTime())))
}
