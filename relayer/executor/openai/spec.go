package openai

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// ParamsInput is the name of the job spec input that carries the job's
// parameters: a data: URI holding the JSON of LLMParams, TTSParams or
// STTParams (the same convention as the demo executor's).
const ParamsInput = "params"

// job is a job's spec as the executors read it.
type job struct {
	executor.Job
	model    string // the spec's market model ("" for a bare parameters document)
	params   []byte
	inputs   []gpumarket.JobInput
	estimate gpumarket.Estimate
}

// decodeJob reads a job's spec: a gpumarket.JobSpec (its model, inputs and
// estimate, and the parameters in its ParamsInput), or, for a spec that is
// not one, the parameters document itself (its "model" field then names the
// model). It returns an EINVALID error for a spec of another kind, a
// malformed params input or a spec over maxSpec bytes.
func decodeJob(j executor.Job, maxSpec int) (*job, error) {
	if err := j.Check(maxSpec); err != nil {
		return nil, err
	}
	js, err := gpumarket.DecodeJobSpec(bytes.NewReader(j.Spec))
	if err != nil {
		return &job{Job: j, params: j.Spec}, nil
	}
	if js.Kind != j.Kind {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is for %s, the job is %s", j.ID, js.Kind, j.Kind)
	}
	out := &job{Job: j, model: js.Model, inputs: js.Inputs, estimate: js.Requirements.Estimate}
	for _, in := range js.Inputs {
		if in.Name != ParamsInput {
			continue
		}
		p, err := gpumarket.DecodeDataURI(in.URI, int64(maxSpec))
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: %v", j.ID, ParamsInput, gpumarket.ErrorMessage(err))
		}
		out.params = p
	}
	if out.params == nil {
		out.params = []byte("{}")
	}
	return out, nil
}

// decodeParams strictly decodes the job's parameters into v.
func (j *job) decodeParams(v any) error {
	if err := gpumarket.UnmarshalStrict(j.params, v); err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: %s params: %v", j.ID, j.Kind, gpumarket.ErrorMessage(err))
	}
	return nil
}

// resolveModel picks the market model: the spec's, or the parameters' when
// the spec is a bare parameters document; both set must agree.
func (j *job) resolveModel(fromParams string) (string, error) {
	switch {
	case j.model == "" && fromParams == "":
		return "", gpumarket.Errorf(gpumarket.EINVALID, "job %d: no model named", j.ID)
	case j.model == "":
		return fromParams, nil
	case fromParams != "" && fromParams != j.model:
		return "", gpumarket.Errorf(gpumarket.EINVALID, "job %d: params model %q differs from the spec's model %q", j.ID, clip(fromParams, 64), clip(j.model, 64))
	}
	return j.model, nil
}

// input returns the named input, or false.
func (j *job) input(name string) (gpumarket.JobInput, bool) {
	for _, in := range j.inputs {
		if in.Name == name {
			return in, true
		}
	}
	return gpumarket.JobInput{}, false
}

// fetchInput returns an input's bytes, at most limit: a data: URI decoded
// here, any other URI through the configured executor.InputFetcher. The size and the
// sha256 the job declares are checked. Every refusal is EINVALID.
func (c *client) fetchInput(ctx context.Context, j *job, in gpumarket.JobInput, limit int64) ([]byte, error) {
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: %s", j.ID, clip(in.Name, 64), fmt.Sprintf(format, args...))
	}
	var b []byte
	if len(in.URI) >= 5 && in.URI[:5] == "data:" {
		var err error
		if b, err = gpumarket.DecodeDataURI(in.URI, limit); err != nil {
			return nil, invalid("%s", gpumarket.ErrorMessage(err))
		}
	} else {
		if c.cfg.Inputs == nil {
			return nil, invalid("only data: URIs are supported by this executor")
		}
		var err error
		if b, err = c.cfg.Inputs.Fetch(ctx, in, limit); err != nil {
			return nil, fmt.Errorf("fetch input %q: %w", clip(in.Name, 64), err)
		}
		if int64(len(b)) > limit {
			return nil, invalid("%d bytes, limit %d", len(b), limit)
		}
	}
	if in.SizeBytes != 0 && uint64(len(b)) != in.SizeBytes {
		return nil, invalid("%d bytes, the spec declares %d", len(b), in.SizeBytes)
	}
	if in.SHA256 != "" {
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != in.SHA256 {
			return nil, invalid("sha256 does not match the spec's")
		}
	}
	return b, nil
}
