package numpy

import (
	"sync"

	"gokist/obj"
	"gokist/runtime/lazy"
)

// A compute started from a cell runs in the cell's session: on its client (the session
// service "client"), stopped by its interrupt, reporting to its output.

// SessionClient gives the executor a cell's computes run on: the dkist face sets it to
// the session's Client (the obj.Env service "client"), registering one when absent.
var SessionClient func(env *obj.Env) *lazy.Client

// coreClient is the executor of env's session.
func coreClient(env *obj.Env) *lazy.Client {
	if SessionClient == nil {
		return defaultCoreClient()
	}
	return SessionClient(env)
}

// defaultCoreClient runs the computes when no session client is set.
var defaultCoreClient = sync.OnceValue(func() *lazy.Client { return lazy.NewClient(0, 0, 0) })

// runIn starts a compute in env: its context, its client and its output.
func RunIn(env *obj.Env) *lazy.Run {
	return lazy.NewRun(env.Context(), coreClient(env), reporterOf(env))
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
func ComputeNode(env *obj.Env, n lazy.Node) (*lazy.Array, error) {
	return lazy.ComputeRun(RunIn(env), n)
}

// computeForPlot is computeNode for a plot: the chunks it reads are kept in the client's
// chunk cache (within its budget), so that drawing the same slice again, as one does
// while adjusting a figure, reads nothing from disk. Reductions run by compute() do not
// fill the cache: a pass over a whole dataset would only push the budget into memory.
func ComputeForPlot(env *obj.Env, n lazy.Node) (*lazy.Array, error) {
	r := RunIn(env)
	r.Cached = true
	return lazy.ComputeRun(r, n)
}
