package pystd

import (
	"math"
	"time"

	"gokist/obj"
)

// Python's time module: clocks for timing cells and an interruptible sleep.
func init() {
	start := time.Now()
	seconds := func(d time.Duration) float64 { return d.Seconds() }
	clock := func(name, doc string, f func() any) *obj.Func {
		return fn(name, name+"()", doc, func(args []any) (any, error) {
			if len(args) > 0 {
				return nil, obj.Errorf(obj.TypeError, "time.%s() takes no arguments (%d given)", name, len(args))
			}
			return f(), nil
		})
	}
	obj.RegisterModule("time", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("time", "Clocks and sleep.", map[string]any{
			"time":            clock("time", "Seconds since the Epoch, as a float.", func() any { return float64(time.Now().UnixNano()) / 1e9 }),
			"time_ns":         clock("time_ns", "Nanoseconds since the Epoch, as an int.", func() any { return int(time.Now().UnixNano()) }),
			"perf_counter":    clock("perf_counter", "A monotonic clock in seconds for timing code.", func() any { return seconds(time.Since(start)) }),
			"perf_counter_ns": clock("perf_counter_ns", "perf_counter in nanoseconds, as an int.", func() any { return int(time.Since(start)) }),
			"monotonic":       clock("monotonic", "A clock that never goes back, in seconds.", func() any { return seconds(time.Since(start)) }),
			"sleep":           &obj.Func{Name: "sleep", Signature: "sleep(secs)", Doc: "Wait secs seconds; the kernel's interrupt ends the wait.", Call: sleep},
		}), nil
	})
}

// sleep is time.sleep, ended early by the cell's interrupt.
func sleep(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) != 1 || len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "time.sleep() takes exactly one argument (%d given)", len(args.Pos)+len(args.Kw))
	}
	var secs float64
	switch x := args.Pos[0].(type) {
	case int:
		secs = float64(x)
	case float64:
		secs = x
	case float32:
		secs = float64(x)
	case bool:
		secs = map[bool]float64{true: 1}[x]
	default:
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(args.Pos[0]))
	}
	if math.IsNaN(secs) {
		return nil, obj.Errorf(obj.ValueError, "Invalid value NaN (not a number)")
	}
	if secs < 0 {
		return nil, obj.Errorf(obj.ValueError, "sleep length must be non-negative")
	}
	if secs > 1e9 {
		return nil, obj.Errorf("OverflowError", "sleep length is too large")
	}
	t := time.NewTimer(time.Duration(secs * float64(time.Second)))
	defer t.Stop()
	select {
	case <-t.C:
		return nil, nil
	case <-env.Context().Done():
		return nil, obj.Errorf(obj.Interrupted, "sleep interrupted")
	}
}
