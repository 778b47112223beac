package synthetic

import (
	"bytes"
	"encoding/json"

	"github.com/gpumarket/gpumarket"
)

// ParamsInput is the name of the job spec input that carries an executor's
// parameters (a JSON document in a data: URI).
const ParamsInput = "params"

// Params returns the demo executor's parameters for a job spec. A job
// spec as the matcher stores it (gpumarket.JobSpec: kind, model, inputs,
// requirements) carries them in its "params" input, a data: URI holding the
// JSON of RenderSpec, TTSSpec, STTSpec or LLMSpec; for llm jobs a missing
// "model" is taken from the spec's model. Any other document is taken as the
// parameters themselves. It returns an EINVALID error for a job spec of
// another kind or with a malformed params input.
func Params(kind gpumarket.JobKind, spec []byte) ([]byte, error) {
	js, err := gpumarket.DecodeJobSpec(bytes.NewReader(spec))
	if err != nil {
		return spec, nil // not a job spec: the parameters themselves
	}
	if js.Kind != kind {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job spec is for %s, the job is %s", js.Kind, kind)
	}
	for _, in := range js.Inputs {
		if in.Name != ParamsInput {
			continue
		}
		p, err := gpumarket.DecodeDataURI(in.URI, maxDemoSpecBytes)
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "job spec input %q: %v", ParamsInput, gpumarket.ErrorMessage(err))
		}
		if kind == gpumarket.JobKindLLM {
			var m map[string]json.RawMessage
			// Strictly: a duplicate key would otherwise be dropped here
			// (last wins) before the parameters' own strict decoding.
			if err := gpumarket.UnmarshalStrict(p, &m); err != nil {
				return nil, gpumarket.Errorf(gpumarket.EINVALID, "job spec input %q: %v", ParamsInput, gpumarket.ErrorMessage(err))
			}
			if _, ok := m["model"]; !ok {
				model, _ := json.Marshal(js.Model)
				m["model"] = model
				if p, err = json.Marshal(m); err != nil {
					return nil, gpumarket.Errorf(gpumarket.EINVALID, "job spec input %q: %v", ParamsInput, err)
				}
			}
		}
		return p, nil
	}
	return nil, gpumarket.Errorf(gpumarket.EINVALID, "job spec has no %q input with the executor's parameters", ParamsInput)
}

// NewJobSpec returns the JSON of a job spec for kind and model carrying
// params (encoded as JSON) in its "params" input, with requirements req. It
// returns an EINVALID error for a spec the matcher would refuse.
func NewJobSpec(kind gpumarket.JobKind, model string, params any, req gpumarket.Requirements) ([]byte, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "encode params: %v", err)
	}
	js := gpumarket.JobSpec{Kind: kind, Model: model, Requirements: req,
		Inputs: []gpumarket.JobInput{{Name: ParamsInput, URI: gpumarket.DataURI("application/json", p)}}}
	if err := js.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(js)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "encode job spec: %v", err)
	}
	if _, err := gpumarket.DecodeJobSpec(bytes.NewReader(b)); err != nil {
		return nil, err
	}
	return b, nil
}
