package executor

import (
	"bytes"
	"context"

	"github.com/gpumarket/gpumarket"
)

// InputFetcher fetches a job input named by a URI for executors that read
// inputs in the relayer (the openai and speech engines). It returns at most
// limit bytes, or an error: the executor fails the job with it. Executors
// check the size and sha256 the job declares on whatever it returns.
type InputFetcher interface {
	Fetch(ctx context.Context, in gpumarket.JobInput, limit int64) ([]byte, error)
}

// URLInputs is the relayer's InputFetcher: [FetchInput] with Config, so
// data: and http(s) URIs (the matcher's blob store among them) are read
// with the same client, address rules (Config.AllowPrivateInputs) and size
// and digest checks as the command and http executors' inputs.
type URLInputs struct {
	Config PreflightConfig
}

var _ InputFetcher = URLInputs{}

// Fetch returns the bytes of in, at most limit (Config.MaxInputBytes, or
// DefaultMaxInputBytes, when limit is 0). It returns the errors of
// [FetchInput].
func (u URLInputs) Fetch(ctx context.Context, in gpumarket.JobInput, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := FetchInput(ctx, in, &buf, limit, u.Config); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
