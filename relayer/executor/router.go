package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gpumarket/gpumarket"
)

// Route sends a relayer's jobs of one kind, and when Models is set only
// those of these models, to one executor.
type Route struct {
	Kind gpumarket.JobKind
	// Models lists the market models routed here; empty: every model of
	// Kind that no other route lists.
	Models []string
	// Name describes the engine in logs and errors ("espeak",
	// "openai:http://127.0.0.1:8000"); it must not hold secrets.
	Name     string
	Executor Executor
}

// Router is an [Executor] that dispatches each job to the executor of its
// kind and model, so that one relayer runs several engines at once (a
// Blender for render, an OpenAI-compatible server for llm, espeak-ng for
// tts, …).
//
// A job goes to the route that lists its model for its kind, else to its
// kind's route without models; a job no route takes is refused by Run and
// by Preflight (EINVALID), so the relayer never accepts it. The model is the
// job spec's (gpumarket.DecodeJobSpec), or, for a spec that is not a job
// spec, the "model" field of the parameters document it is.
type Router struct {
	routes []Route
}

var _ Executor = (*Router)(nil)

// NewRouter returns a router over routes. It returns a *ConfigError
// (Executor "router", Field "Routes[i]") for a route with an unknown kind,
// no executor, or a kind and model (or a kind's catch-all) another route
// already takes.
func NewRouter(routes []Route) (*Router, error) {
	type key struct {
		kind  gpumarket.JobKind
		model string // "": the kind's catch-all
	}
	taken := map[key]string{}
	for i, r := range routes {
		field := fmt.Sprintf("Routes[%d]", i)
		if !r.Kind.Valid() {
			return nil, badConfig("router", field, "unknown job kind %d", uint8(r.Kind))
		}
		if r.Executor == nil {
			return nil, badConfig("router", field, "%s route %q has no executor", r.Kind, r.Name)
		}
		models := r.Models
		if len(models) == 0 {
			models = []string{""}
		}
		for _, m := range models {
			k := key{r.Kind, m}
			if other, ok := taken[k]; ok {
				what := fmt.Sprintf("%s jobs of every other model", r.Kind)
				if m != "" {
					what = fmt.Sprintf("%s model %q", r.Kind, m)
				}
				return nil, badConfig("router", field, "%s already go to %s", what, other)
			}
			taken[k] = r.Name
		}
	}
	return &Router{routes: slices.Clone(routes)}, nil
}

// Serves reports whether some route takes jobs of kind (for the relayer's
// CanServe: it does not bid on other kinds).
func (r *Router) Serves(kind gpumarket.JobKind) bool {
	return slices.ContainsFunc(r.routes, func(rt Route) bool { return rt.Kind == kind })
}

// Routes returns a copy of the routes, in their configured order.
func (r *Router) Routes() []Route { return slices.Clone(r.routes) }

// route picks job's route, or returns an EINVALID error naming the kind and
// model no route takes.
func (r *Router) route(job Job) (*Route, error) {
	if !job.Kind.Valid() {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: unknown job kind %d", job.ID, uint8(job.Kind))
	}
	model := specModel(job.Spec)
	var catchAll *Route
	for i := range r.routes {
		rt := &r.routes[i]
		if rt.Kind != job.Kind {
			continue
		}
		if len(rt.Models) == 0 {
			catchAll = rt
		} else if model != "" && slices.Contains(rt.Models, model) {
			return rt, nil
		}
	}
	if catchAll != nil {
		return catchAll, nil
	}
	if !r.Serves(job.Kind) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: no engine is configured for %s jobs", job.ID, job.Kind)
	}
	return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: no engine is configured for %s model %q", job.ID, job.Kind, clipName(model))
}

// specModel returns the job spec's model, or the "model" of a parameters
// document, or "".
func specModel(spec []byte) string {
	if js, err := gpumarket.DecodeJobSpec(bytes.NewReader(spec)); err == nil {
		return js.Model
	}
	var doc struct {
		Model string `json:"model"`
	}
	if json.Unmarshal(spec, &doc) != nil {
		return ""
	}
	return doc.Model
}

func clipName(s string) string {
	if len(s) > maxNameInError {
		return s[:maxNameInError] + "…"
	}
	return s
}

// Run runs job on its route's executor, with that executor's errors, or
// returns an EINVALID error when no route takes it.
func (r *Router) Run(ctx context.Context, job Job) (*Result, error) {
	rt, err := r.route(job)
	if err != nil {
		return nil, err
	}
	return rt.Executor.Run(ctx, job)
}

// Preflight is the Preflight of job's route's executor, or an EINVALID
// error when no route takes it.
func (r *Router) Preflight(ctx context.Context, job Job) error {
	rt, err := r.route(job)
	if err != nil {
		return err
	}
	return rt.Executor.Preflight(ctx, job)
}
