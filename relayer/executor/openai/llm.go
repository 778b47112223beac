package openai

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// LLMConfig configures an [LLM] executor.
type LLMConfig struct {
	Config
	// MaxTokens caps the completion of any job (max_tokens sent to the
	// server). Default 4096.
	MaxTokens uint64
	// Stream asks the server for a stream of chunks (stream: true,
	// stream_options.include_usage: true) and takes the usage from the
	// final chunk. The result is the same either way.
	Stream bool
	// PaidTokens, when set, returns how many tokens (prompt and completion)
	// the job's payment covers at the provider's price (see [PaidTokens]);
	// the completion is bounded by it less the spec's estimated input
	// tokens. false means no bound is known.
	PaidTokens func(executor.Job) (uint64, bool)
	// MaxPromptBytes bounds the messages' total content. Default 256 KiB.
	MaxPromptBytes int
}

// LLMParams are an llm job's parameters (the spec's ParamsInput). Either
// Messages or Prompt (one user message) is required.
type LLMParams struct {
	Model            string    `json:"model,omitempty"` // must equal the spec's model when both are set
	Messages         []Message `json:"messages,omitempty"`
	Prompt           string    `json:"prompt,omitempty"`
	MaxTokens        uint64    `json:"max_tokens,omitempty"`        // lowered to the executor's bounds
	Temperature      *float64  `json:"temperature,omitempty"`       // 0..2
	TopP             *float64  `json:"top_p,omitempty"`             // (0, 1]
	FrequencyPenalty *float64  `json:"frequency_penalty,omitempty"` // -2..2
	PresencePenalty  *float64  `json:"presence_penalty,omitempty"`  // -2..2
	Stop             []string  `json:"stop,omitempty"`              // at most 4, 1..64 bytes each
	Seed             *uint64   `json:"seed,omitempty"`              // at most 2^53
}

// Message is one chat message: role system, user or assistant.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Limits of llm parameters.
const (
	MaxLLMMessages = 256
	maxStops       = 4
	maxStopBytes   = 64
)

// LLM runs llm jobs on an OpenAI-compatible chat completions endpoint
// (POST {BaseURL}/v1/chat/completions): vLLM, llama.cpp's server, Ollama,
// and anything else that speaks the format.
//
// The result is a chat.completion JSON document built by the executor (not
// the server's bytes): the market model, the one choice's content (and
// reasoning content when the server returns it), its finish reason, and the
// usage. The usage is the server's, accepted only when it is consistent
// with the output: present, a non-zero prompt count, a non-zero completion
// count when there is output, no more completion tokens than max_tokens or
// than output bytes (plus a small allowance for special tokens), a total
// equal to the sum when given. Anything else fails the job with ErrNoUsage.
// A reasoning model's hidden thinking counts as completion tokens: the
// server must return it (vLLM's and llama.cpp's reasoning_content, Ollama's
// reasoning), or its jobs fail the output-bytes check.
type LLM struct {
	c   *client
	cfg LLMConfig
}

var _ executor.Executor = (*LLM)(nil)

// NewLLM returns an LLM executor. It returns a *executor.ConfigError
// (EINVALID) naming the field when cfg is invalid.
func NewLLM(cfg LLMConfig, log *slog.Logger) (*LLM, error) {
	cfg.MaxTokens = cmp.Or(cfg.MaxTokens, 4096)
	cfg.MaxPromptBytes = cmp.Or(cfg.MaxPromptBytes, 256<<10)
	if cfg.MaxTokens > 1<<24 || cfg.MaxPromptBytes < 0 {
		return nil, &executor.ConfigError{Executor: "openai-llm", Field: "MaxTokens/MaxPromptBytes", Reason: "out of range"}
	}
	c, err := newClient("llm", cfg.Config, log)
	if err != nil {
		return nil, err
	}
	cfg.Config = c.cfg
	return &LLM{c: c, cfg: cfg}, nil
}

// PaidTokens returns how many tokens amount pays for at pricePerKTokens
// (the llm unit, 1,000 tokens): the largest q with ceil(price*q/1000) ≤
// amount, as gpumarket.UnitKTokens.Cost rounds. It returns MaxUint64 for a
// zero price and 0 for a nil or negative amount.
func PaidTokens(amount, pricePerKTokens *big.Int) uint64 {
	if amount == nil || amount.Sign() <= 0 {
		return 0
	}
	if pricePerKTokens == nil || pricePerKTokens.Sign() <= 0 {
		return math.MaxUint64
	}
	q := new(big.Int).Mul(amount, big.NewInt(1000))
	q.Quo(q, pricePerKTokens)
	if !q.IsUint64() {
		return math.MaxUint64
	}
	return q.Uint64()
}

// Run sends the job's messages and returns the completion. Besides the
// errors listed on [executor.Executor], it returns a *StatusError (see
// ErrModelNotFound, ErrContextLength, ErrRateLimited, ErrServerFailed) and
// ErrNoUsage.
func (l *LLM) Run(ctx context.Context, ej executor.Job) (*executor.Result, error) {
	if ej.Kind != gpumarket.JobKindLLM {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: the llm executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, l.cfg.MaxSpecBytes)
	if err != nil {
		return nil, err
	}
	req, market, promptBytes, err := l.request(j)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return l.c.run(ctx, ej, func(ctx context.Context) (*executor.Result, error) {
		accept := "application/json"
		if req.Stream {
			accept = "text/event-stream"
		}
		resp, err := l.c.post(ctx, "/v1/chat/completions", "application/json", body, accept)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out completion
		mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if req.Stream && mt == "text/event-stream" {
			out, err = readStream(resp.Body, l.cfg.MaxResponseBytes)
		} else {
			out, err = readCompletion(resp.Body, l.cfg.MaxResponseBytes)
		}
		if err != nil {
			return nil, err
		}
		usage, err := checkUsage(out, req.MaxTokens, promptBytes, len(req.Messages))
		if err != nil {
			return nil, err
		}
		doc, err := out.document(market, usage)
		if err != nil {
			return nil, err
		}
		return &executor.Result{Body: doc, ContentType: "application/json", Usage: usage}, nil
	})
}

// chatRequest is what the executor sends: only fields it has checked.
type chatRequest struct {
	Model            string         `json:"model"`
	Messages         []Message      `json:"messages"`
	MaxTokens        uint64         `json:"max_tokens"`
	N                int            `json:"n"`
	Temperature      *float64       `json:"temperature,omitempty"`
	TopP             *float64       `json:"top_p,omitempty"`
	FrequencyPenalty *float64       `json:"frequency_penalty,omitempty"`
	PresencePenalty  *float64       `json:"presence_penalty,omitempty"`
	Stop             []string       `json:"stop,omitempty"`
	Seed             *uint64        `json:"seed,omitempty"`
	Stream           bool           `json:"stream"`
	StreamOptions    *streamOptions `json:"stream_options,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// request validates the job's parameters and builds the request. It returns
// an EINVALID error naming the first bad parameter.
func (l *LLM) request(j *job) (req chatRequest, market string, promptBytes int, err error) {
	var p LLMParams
	if err := j.decodeParams(&p); err != nil {
		return req, "", 0, err
	}
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: llm params: %s", j.ID, fmt.Sprintf(format, args...))
	}
	if market, err = j.resolveModel(p.Model); err != nil {
		return req, "", 0, err
	}
	if req.Model, err = l.c.serverModel(j.Job, market); err != nil {
		return req, "", 0, err
	}
	msgs := p.Messages
	switch {
	case len(msgs) > 0 && p.Prompt != "":
		return req, "", 0, invalid("give messages or prompt, not both")
	case p.Prompt != "":
		msgs = []Message{{Role: "user", Content: p.Prompt}}
	case len(msgs) == 0:
		return req, "", 0, invalid("messages (or prompt) is required")
	case len(msgs) > MaxLLMMessages:
		return req, "", 0, invalid("%d messages, limit %d", len(msgs), MaxLLMMessages)
	}
	for i, m := range msgs {
		switch m.Role {
		case "system", "user", "assistant":
		default:
			return req, "", 0, invalid("messages[%d].role %q: want system, user or assistant", i, clip(m.Role, 32))
		}
		if m.Content == "" {
			return req, "", 0, invalid("messages[%d].content is empty", i)
		}
		promptBytes += len(m.Content)
	}
	if promptBytes > l.cfg.MaxPromptBytes {
		return req, "", 0, invalid("messages hold %d bytes, limit %d", promptBytes, l.cfg.MaxPromptBytes)
	}
	inRange := func(name string, v *float64, lo, hi float64, openLo bool) error {
		if v == nil {
			return nil
		}
		if math.IsNaN(*v) || *v < lo || *v > hi || openLo && *v == lo {
			return invalid("%s %v out of range %v..%v", name, *v, lo, hi)
		}
		return nil
	}
	for _, e := range []error{
		inRange("temperature", p.Temperature, 0, 2, false),
		inRange("top_p", p.TopP, 0, 1, true),
		inRange("frequency_penalty", p.FrequencyPenalty, -2, 2, false),
		inRange("presence_penalty", p.PresencePenalty, -2, 2, false),
	} {
		if e != nil {
			return req, "", 0, e
		}
	}
	if len(p.Stop) > maxStops {
		return req, "", 0, invalid("%d stop sequences, limit %d", len(p.Stop), maxStops)
	}
	for i, s := range p.Stop {
		if s == "" || len(s) > maxStopBytes {
			return req, "", 0, invalid("stop[%d] must be 1 to %d bytes", i, maxStopBytes)
		}
	}
	if p.Seed != nil && *p.Seed > 1<<53 {
		return req, "", 0, invalid("seed exceeds 2^53")
	}
	n := l.cfg.MaxTokens
	if p.MaxTokens > 0 {
		n = min(n, p.MaxTokens)
	}
	if e := j.estimate.OutputTokens; e > 0 {
		n = min(n, e)
	}
	if l.cfg.PaidTokens != nil {
		if paid, ok := l.cfg.PaidTokens(j.Job); ok {
			if paid <= j.estimate.InputTokens {
				return req, "", 0, gpumarket.Errorf(gpumarket.EINVALID, "job %d: its payment covers %d tokens, no more than the %d input tokens estimated", j.ID, paid, j.estimate.InputTokens)
			}
			n = min(n, paid-j.estimate.InputTokens)
		}
	}
	req.Messages = msgs
	req.MaxTokens = n
	req.N = 1
	req.Temperature, req.TopP, req.Stop, req.Seed = p.Temperature, p.TopP, p.Stop, p.Seed
	req.FrequencyPenalty, req.PresencePenalty = p.FrequencyPenalty, p.PresencePenalty
	if l.cfg.Stream {
		req.Stream = true
		req.StreamOptions = &streamOptions{IncludeUsage: true}
	}
	return req, market, promptBytes, nil
}

// wireUsage is the usage object of a response or of a stream's chunk.
// Pointers tell a missing count from zero.
type wireUsage struct {
	PromptTokens     *int64 `json:"prompt_tokens"`
	CompletionTokens *int64 `json:"completion_tokens"`
	TotalTokens      *int64 `json:"total_tokens"`
}

// wireMessage is a choice's message (or a chunk's delta). vLLM and
// llama.cpp name the reasoning reasoning_content; Ollama names it reasoning.
type wireMessage struct {
	Content          *string `json:"content"`
	ReasoningContent *string `json:"reasoning_content"`
	Reasoning        *string `json:"reasoning"`
}

func (m wireMessage) reasoning() string {
	if m.ReasoningContent != nil {
		return *m.ReasoningContent
	}
	if m.Reasoning != nil {
		return *m.Reasoning
	}
	return ""
}

// completion is what the executor keeps of a response, streamed or not.
type completion struct {
	choices      int // how many distinct choices the server returned
	content      string
	reasoning    string
	finishReason string
	usage        *wireUsage
}

// readCompletion decodes a non-streamed chat.completion response, read to
// at most limit bytes. It fails with ErrNoUsage when it has no choices.
func readCompletion(r io.Reader, limit int64) (completion, error) {
	b, err := readBody(r, limit)
	if err != nil {
		return completion{}, fmt.Errorf("read response: %w", err)
	}
	var resp struct {
		Choices []struct {
			Index        int         `json:"index"`
			Message      wireMessage `json:"message"`
			FinishReason *string     `json:"finish_reason"`
		} `json:"choices"`
		Usage *wireUsage      `json:"usage"`
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return completion{}, fmt.Errorf("%w: response is not a chat completion: %v", ErrNoUsage, err)
	}
	if len(resp.Error) > 0 && string(resp.Error) != "null" {
		return completion{}, bodyError(b)
	}
	var out completion
	out.choices = len(resp.Choices)
	out.usage = resp.Usage
	if len(resp.Choices) == 0 {
		return out, fmt.Errorf("%w: response has no choices", ErrNoUsage)
	}
	c := resp.Choices[0]
	if c.Message.Content != nil {
		out.content = *c.Message.Content
	}
	out.reasoning = c.Message.reasoning()
	if c.FinishReason != nil {
		out.finishReason = *c.FinishReason
	}
	return out, nil
}

// bodyError turns an error document inside a 200 response or a stream into
// a *StatusError (status from its code, else 500).
func bodyError(b []byte) *StatusError {
	se := parseServerError(b)
	status := se.Status
	if status < 400 || status > 599 {
		status = 500
	}
	e := &StatusError{StatusCode: status, Type: identifier(se.Type), Code: identifier(se.Code), Message: clip(se.Message, 1024)}
	e.kind = classify(status, se)
	if e.kind == nil {
		e.kind = ErrServerFailed
	}
	return e
}

// maxEventBytes bounds one server-sent event of a chat stream.
const maxEventBytes = 1 << 20

// readStream decodes a chat completion stream: "data:" events of
// chat.completion.chunk JSON up to "data: [DONE]", content accumulated from
// the deltas of choice 0, the usage from the last chunk that carries one
// (the final, choice-less chunk of stream_options.include_usage). A stream
// that ends before [DONE] fails with ErrServerFailed; one over limit bytes
// with executor.ErrOutputLimit; an error event becomes a *StatusError.
func readStream(r io.Reader, limit int64) (completion, error) {
	sse := newSSEReader(newCapReader(r, limit), maxEventBytes)
	var (
		out       completion
		content   strings.Builder
		reasoning strings.Builder
		seen      = map[int]bool{}
	)
	for {
		data, err := sse.next()
		if errors.Is(err, io.EOF) {
			return out, fmt.Errorf("%w: stream ended before [DONE]", ErrServerFailed)
		}
		if err != nil {
			return out, fmt.Errorf("read stream: %w", err)
		}
		if string(bytes.TrimSpace(data)) == "[DONE]" {
			break
		}
		var chunk struct {
			Choices []struct {
				Index        int         `json:"index"`
				Delta        wireMessage `json:"delta"`
				FinishReason *string     `json:"finish_reason"`
			} `json:"choices"`
			Usage *wireUsage      `json:"usage"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(data, &chunk); err != nil {
			return out, fmt.Errorf("%w: stream chunk is not JSON: %v", ErrServerFailed, err)
		}
		if len(chunk.Error) > 0 && string(chunk.Error) != "null" {
			return out, bodyError(data)
		}
		for _, c := range chunk.Choices {
			seen[c.Index] = true
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != nil {
				content.WriteString(*c.Delta.Content)
			}
			reasoning.WriteString(c.Delta.reasoning())
			if c.FinishReason != nil && *c.FinishReason != "" {
				out.finishReason = *c.FinishReason
			}
		}
		if chunk.Usage != nil {
			out.usage = chunk.Usage
		}
	}
	out.choices = len(seen)
	out.content = content.String()
	out.reasoning = reasoning.String()
	if out.choices == 0 {
		return out, fmt.Errorf("%w: stream has no choices", ErrNoUsage)
	}
	return out, nil
}

// Allowances of the usage cross-checks: special tokens (end of sequence,
// reasoning markers) count as completion tokens without adding output
// bytes, and a chat template adds tokens around each message.
const (
	completionSlackTokens    = 16
	promptSlackTokens        = 1024
	promptSlackTokensPerTurn = 32
)

// checkUsage accepts the server's usage only when it is consistent with the
// output; it returns prompt tokens as Units1 and completion tokens as
// Units2, or an ErrNoUsage error saying what is inconsistent.
func checkUsage(out completion, maxTokens uint64, promptBytes, messages int) (gpumarket.Usage, error) {
	noUsage := func(format string, args ...any) (gpumarket.Usage, error) {
		return gpumarket.Usage{}, fmt.Errorf("%w: %s", ErrNoUsage, fmt.Sprintf(format, args...))
	}
	if out.choices != 1 {
		return noUsage("%d choices, want 1", out.choices)
	}
	u := out.usage
	if u == nil || u.PromptTokens == nil || u.CompletionTokens == nil {
		return noUsage("the server reported no usage (prompt_tokens and completion_tokens)")
	}
	p, c := *u.PromptTokens, *u.CompletionTokens
	outBytes := int64(len(out.content) + len(out.reasoning))
	switch {
	case p <= 0:
		return noUsage("prompt_tokens %d for a non-empty prompt", p)
	case c < 0:
		return noUsage("completion_tokens %d", c)
	case c == 0 && outBytes > 0:
		return noUsage("completion_tokens 0 for %d bytes of output", outBytes)
	case uint64(c) > maxTokens:
		return noUsage("completion_tokens %d exceeds the max_tokens %d sent", c, maxTokens)
	case c > outBytes+completionSlackTokens:
		return noUsage("completion_tokens %d for %d bytes of output", c, outBytes)
	case p > int64(promptBytes)+promptSlackTokens+promptSlackTokensPerTurn*int64(messages):
		return noUsage("prompt_tokens %d for %d bytes of prompt", p, promptBytes)
	case u.TotalTokens != nil && *u.TotalTokens != 0 && *u.TotalTokens != p+c:
		return noUsage("total_tokens %d is not prompt_tokens %d + completion_tokens %d", *u.TotalTokens, p, c)
	}
	if !utf8.ValidString(out.content) || !utf8.ValidString(out.reasoning) {
		return noUsage("output is not valid UTF-8")
	}
	return gpumarket.Usage{Units1: uint64(p), Units2: uint64(c)}, nil
}

// document is the job's result: a chat.completion built by the executor.
func (out completion) document(market string, u gpumarket.Usage) ([]byte, error) {
	type message struct {
		Role             string `json:"role"`
		Content          string `json:"content"`
		ReasoningContent string `json:"reasoning_content,omitempty"`
	}
	type choice struct {
		Index        int     `json:"index"`
		Message      message `json:"message"`
		FinishReason string  `json:"finish_reason"`
	}
	doc := struct {
		Object  string   `json:"object"`
		Model   string   `json:"model"`
		Choices []choice `json:"choices"`
		Usage   struct {
			PromptTokens     uint64 `json:"prompt_tokens"`
			CompletionTokens uint64 `json:"completion_tokens"`
			TotalTokens      uint64 `json:"total_tokens"`
		} `json:"usage"`
	}{Object: "chat.completion", Model: market}
	doc.Choices = []choice{{Message: message{Role: "assistant", Content: out.content, ReasoningContent: out.reasoning}, FinishReason: out.finishReason}}
	doc.Usage.PromptTokens, doc.Usage.CompletionTokens, doc.Usage.TotalTokens = u.Units1, u.Units2, u.Units1+u.Units2
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return b, nil
}
