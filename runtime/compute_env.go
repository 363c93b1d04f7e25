package runtime

import "gokist/runtime/lazy"
import "gokist/obj"

// A compute started from a cell runs in the cell's session: on its client (the session
// service "client"), stopped by its interrupt, reporting to its output.

// clientOf returns the session's client, registering a default one when absent.
func clientOf(env *obj.Env) *Client {
	if env != nil {
		if c, ok := env.Service("client").(*Client); ok {
			return c
		}
		if env.Services != nil {
			c := NewClient(0, 0, 0)
			env.Services["client"] = c
			return c
		}
	}
	return defaultSessionClient()
}

// runIn starts a compute in env: its context, its client and its output.
func runIn(env *obj.Env) *lazy.Run {
	return lazy.NewRun(env.Context(), clientOf(env).Client, reporterOf(env))
}

// reporterOf sends a compute's progress to the cell's progress bar and its warnings to
// the cell's stderr.
func reporterOf(env *obj.Env) lazy.Reporter {
	if env == nil || env.Out == nil {
		return lazy.Reporter{}
	}
	out := env.Out
	return lazy.Reporter{Progress: out.Progress, Warn: func(text string) { out.Stream("stderr", text) }}
}

// computeNode computes a graph in env, turning context errors into Interrupted. It
// streams the chunks it reads through the workers and keeps none of them afterwards.
func computeNode(env *obj.Env, n lazy.Node) (*lazy.Array, error) {
	return lazy.ComputeRun(runIn(env), n)
}

// computeForPlot is computeNode for a plot: the chunks it reads are kept in the client's
// chunk cache (within its budget), so that drawing the same slice again, as one does
// while adjusting a figure, reads nothing from disk. Reductions run by compute() do not
// fill the cache: a pass over a whole dataset would only push the budget into memory.
func computeForPlot(env *obj.Env, n lazy.Node) (*lazy.Array, error) {
	r := runIn(env)
	r.Cached = true
	return lazy.ComputeRun(r, n)
}
