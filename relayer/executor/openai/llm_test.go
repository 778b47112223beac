package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

const testAPIKey = "sk-test-0123456789abcdef-SECRET"

// specJob returns a job of kind for a gpumarket.JobSpec carrying params in
// its params input, plus extra inputs.
func specJob(tb testing.TB, kind gpumarket.JobKind, model string, params any, est gpumarket.Estimate, extra ...gpumarket.JobInput) executor.Job {
	tb.Helper()
	if params == nil {
		params = map[string]any{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	js := gpumarket.JobSpec{Kind: kind, Model: model,
		Inputs:       append([]gpumarket.JobInput{{Name: ParamsInput, URI: gpumarket.DataURI("application/json", p)}}, extra...),
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: est}}
	if err := js.Validate(); err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(js)
	if err != nil {
		tb.Fatal(err)
	}
	return executor.Job{ID: 42, Kind: kind, Spec: b}
}

func haikuJob(tb testing.TB, params map[string]any) executor.Job {
	tb.Helper()
	p := map[string]any{"messages": []Message{{Role: "system", Content: "You write haiku."}, {Role: "user", Content: "Write a haiku about GPUs."}}}
	for k, v := range params {
		p[k] = v
	}
	return specJob(tb, gpumarket.JobKindLLM, "llama-3-8b", p, gpumarket.Estimate{InputTokens: 40, OutputTokens: 64})
}

func newTestLLM(tb testing.TB, url string, mutate func(*LLMConfig)) *LLM {
	tb.Helper()
	cfg := LLMConfig{Config: Config{BaseURL: url, APIKey: testAPIKey, Models: map[string]string{"llama-3-8b": "meta-llama/Llama-3.1-8B-Instruct"}}}
	if mutate != nil {
		mutate(&cfg)
	}
	l, err := NewLLM(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func TestLLMRecordedResponses(t *testing.T) {
	tests := []struct {
		file        string
		stream      bool
		wantUsage   gpumarket.Usage
		wantContent string
	}{
		{"vllm/chat.http", false, gpumarket.Usage{Units1: 42, Units2: 22}, "Silicon rivers flow,\nthousands of cores hum in sync,\nlight from borrowed heat."},
		{"vllm/chat_stream.http", true, gpumarket.Usage{Units1: 42, Units2: 22}, "Silicon rivers flow,\nthousands of cores hum in sync,\nlight from borrowed heat."},
		{"llamacpp/chat.http", false, gpumarket.Usage{Units1: 38, Units2: 20}, "Silicon rivers flow,\nthousands of cores hum as one,\nheat becomes the light."},
		{"llamacpp/chat_stream.http", true, gpumarket.Usage{Units1: 38, Units2: 20}, "Silicon rivers flow,\nthousands of cores hum as one,\nheat becomes the light."},
		{"ollama/chat.http", false, gpumarket.Usage{Units1: 33, Units2: 21}, "Cores in quiet rows,\nfans exhale the summer heat,\nmath becomes a glow."},
		{"ollama/chat_stream.http", true, gpumarket.Usage{Units1: 33, Units2: 21}, "Cores in quiet rows,\nfans exhale the summer heat,\nmath becomes a glow."},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, tt.file))
			l := newTestLLM(t, rs.URL+"/v1", func(c *LLMConfig) { c.Stream = tt.stream })
			res, err := l.Run(context.Background(), haikuJob(t, map[string]any{"temperature": 0.2}))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.Usage != tt.wantUsage {
				t.Errorf("Usage = %+v, want %+v", res.Usage, tt.wantUsage)
			}
			var doc struct {
				Object  string `json:"object"`
				Model   string `json:"model"`
				Choices []struct {
					Message      struct{ Role, Content string } `json:"message"`
					FinishReason string                         `json:"finish_reason"`
				} `json:"choices"`
				Usage struct {
					PromptTokens     uint64 `json:"prompt_tokens"`
					CompletionTokens uint64 `json:"completion_tokens"`
				} `json:"usage"`
			}
			if err := json.Unmarshal(res.Body, &doc); err != nil {
				t.Fatalf("result is not JSON: %v", err)
			}
			if doc.Model != "llama-3-8b" || len(doc.Choices) != 1 || doc.Choices[0].Message.Content != tt.wantContent || doc.Choices[0].FinishReason != "stop" {
				t.Errorf("result = %s", res.Body)
			}
			if doc.Usage.PromptTokens != tt.wantUsage.Units1 || doc.Usage.CompletionTokens != tt.wantUsage.Units2 {
				t.Errorf("result usage = %+v, want %+v", doc.Usage, tt.wantUsage)
			}

			req := rs.last(t)
			if req.method != http.MethodPost || req.path != "/v1/chat/completions" {
				t.Errorf("request %s %s, want POST /v1/chat/completions", req.method, req.path)
			}
			if got := req.header.Get("Authorization"); got != "Bearer "+testAPIKey {
				t.Errorf("Authorization = %q", got)
			}
			var sent map[string]any
			if err := json.Unmarshal(req.body, &sent); err != nil {
				t.Fatal(err)
			}
			if sent["model"] != "meta-llama/Llama-3.1-8B-Instruct" || sent["max_tokens"] != 64.0 || sent["n"] != 1.0 || sent["temperature"] != 0.2 || sent["stream"] != tt.stream {
				t.Errorf("request body = %s", req.body)
			}
			if so, _ := sent["stream_options"].(map[string]any); tt.stream && so["include_usage"] != true {
				t.Errorf("stream request without stream_options.include_usage: %s", req.body)
			}
			if msgs, _ := sent["messages"].([]any); len(msgs) != 2 {
				t.Errorf("messages sent = %v", sent["messages"])
			}
		})
	}
}

func TestLLMErrors(t *testing.T) {
	tests := []struct {
		file       string
		stream     bool
		want       error
		status     int
		retryable  bool
		retryAfter time.Duration
	}{
		{"vllm/error_model_not_found.http", false, ErrModelNotFound, 404, false, 0},
		{"ollama/error_model_not_found.http", false, ErrModelNotFound, 404, false, 0},
		{"vllm/error_context_length.http", false, ErrContextLength, 400, false, 0},
		{"vllm/error_context_length_legacy.http", false, ErrContextLength, 400, false, 0},
		{"llamacpp/error_context_size.http", false, ErrContextLength, 400, false, 0},
		{"openai/error_rate_limit.http", false, ErrRateLimited, 429, true, 7 * time.Second},
		{"llamacpp/error_loading.http", false, ErrServerFailed, 503, true, 0},
		{"ollama/error_busy.http", false, ErrServerFailed, 503, true, 0},
		{"vllm/error_engine_dead.http", false, ErrServerFailed, 500, true, 0},
		{"vllm/chat_stream_error.http", true, ErrServerFailed, 500, true, 0},
		{"llamacpp/chat_no_usage.http", false, ErrNoUsage, 0, false, 0},
		{"ollama/chat_zero_completion.http", false, ErrNoUsage, 0, false, 0},
		{"openai/chat_no_choices.http", false, ErrNoUsage, 0, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, tt.file))
			l := newTestLLM(t, rs.URL, func(c *LLMConfig) { c.Stream = tt.stream })
			_, err := l.Run(context.Background(), haikuJob(t, nil))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Run error = %v, want %v", err, tt.want)
			}
			var se *StatusError
			if tt.status == 0 {
				if errors.As(err, &se) {
					t.Errorf("Run error is a *StatusError (%v), want none", se)
				}
				return
			}
			if !errors.As(err, &se) {
				t.Fatalf("Run error %v is not a *StatusError", err)
			}
			if se.StatusCode != tt.status || se.Retryable() != tt.retryable || se.RetryAfter != tt.retryAfter {
				t.Errorf("StatusError = {%d retryable %v retry after %v}, want {%d %v %v}", se.StatusCode, se.Retryable(), se.RetryAfter, tt.status, tt.retryable, tt.retryAfter)
			}
			if d, ok := RetryAfter(err); ok != (tt.retryAfter > 0) || d != tt.retryAfter {
				t.Errorf("RetryAfter = %v, %v", d, ok)
			}
			if se.Message == "" {
				t.Errorf("StatusError.Message is empty: the server's message was not decoded")
			}
			if strings.Contains(err.Error(), se.Message) {
				t.Errorf("error text %q holds the server's message", err)
			}
		})
	}
}

func TestLLMStreamCutBeforeDone(t *testing.T) {
	rec := loadRecording(t, "vllm/chat_stream.http")
	rec.body = rec.body[:bytes.Index(rec.body, []byte("data: [DONE]"))]
	rs := newReplay(t, rec)
	l := newTestLLM(t, rs.URL, func(c *LLMConfig) { c.Stream = true })
	if _, err := l.Run(context.Background(), haikuJob(t, nil)); !errors.Is(err, ErrServerFailed) || !strings.Contains(err.Error(), "[DONE]") {
		t.Errorf("Run error = %v, want ErrServerFailed for a stream without [DONE]", err)
	}
}

// usageServer answers a chat completion with content and usage.
func usageServer(t *testing.T, content string, prompt, completion, total int) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": "stop"}},
			"usage":   map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

func TestLLMUsageCrossChecks(t *testing.T) {
	tests := []struct {
		name                      string
		content                   string
		prompt, completion, total int
		wantErr                   string // "" for accepted
	}{
		{"consistent", "four words of output", 40, 5, 45, ""},
		{"total absent (0)", "four words of output", 40, 5, 0, ""},
		{"empty output, one token (EOS)", "", 40, 1, 41, ""},
		{"zero prompt tokens", "hi", 0, 1, 1, "prompt_tokens 0"},
		{"negative completion", "hi", 40, -3, 37, "completion_tokens -3"},
		{"zero completion with content", "hello there", 40, 0, 40, "completion_tokens 0 for 11 bytes"},
		{"completion over max_tokens", strings.Repeat("x", 500), 40, 65, 105, "exceeds the max_tokens 64"},
		{"completion inflated over output bytes", "hi", 40, 60, 100, "completion_tokens 60 for 2 bytes"},
		{"prompt inflated", "hi", 5000, 1, 5001, "prompt_tokens 5000"},
		{"total not the sum", "four words of output", 40, 5, 99, "total_tokens 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := usageServer(t, tt.content, tt.prompt, tt.completion, tt.total)
			res, err := newTestLLM(t, s.URL, nil).Run(context.Background(), haikuJob(t, nil))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if want := (gpumarket.Usage{Units1: uint64(tt.prompt), Units2: uint64(tt.completion)}); res.Usage != want {
					t.Errorf("Usage = %+v, want %+v", res.Usage, want)
				}
				return
			}
			if !errors.Is(err, ErrNoUsage) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Run error = %v, want ErrNoUsage naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestLLMMaxTokensBounds(t *testing.T) {
	tests := []struct {
		name      string
		cfgMax    uint64
		param     uint64
		estimate  uint64
		paid      uint64 // 0: no PaidTokens hook
		wantSent  float64
		wantError string
	}{
		{"config cap", 32, 0, 0, 0, 32, ""},
		{"estimate", 0, 0, 64, 0, 64, ""},
		{"parameter below estimate", 0, 10, 64, 0, 10, ""},
		{"parameter above estimate", 0, 1000, 64, 0, 64, ""},
		{"payment covers fewer", 0, 0, 64, 40 + 25, 25, ""},
		{"payment covers nothing past the input", 0, 0, 64, 40, 0, "payment covers 40 tokens"},
		{"default cap without estimate", 0, 0, 0, 0, 4096, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, "vllm/chat.http"))
			l := newTestLLM(t, rs.URL, func(c *LLMConfig) {
				c.MaxTokens = tt.cfgMax
				if tt.paid > 0 {
					c.PaidTokens = func(executor.Job) (uint64, bool) { return tt.paid, true }
				}
			})
			p := map[string]any{"prompt": "Write a haiku about GPUs."}
			if tt.param > 0 {
				p["max_tokens"] = tt.param
			}
			job := specJob(t, gpumarket.JobKindLLM, "llama-3-8b", p, gpumarket.Estimate{InputTokens: 40, OutputTokens: tt.estimate})
			_, err := l.Run(context.Background(), job)
			if tt.wantError != "" {
				if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.wantError) || rs.count() != 0 {
					t.Errorf("Run error = %v (requests %d), want EINVALID %q and nothing sent", err, rs.count(), tt.wantError)
				}
				return
			}
			var sent struct {
				MaxTokens float64 `json:"max_tokens"`
			}
			json.Unmarshal(rs.last(t).body, &sent)
			if sent.MaxTokens != tt.wantSent {
				t.Errorf("max_tokens sent = %v, want %v", sent.MaxTokens, tt.wantSent)
			}
			// The recorded answer has 22 completion tokens: over a bound of
			// 10 it must be refused as inconsistent.
			if tt.wantSent < 22 && !errors.Is(err, ErrNoUsage) {
				t.Errorf("Run error = %v, want ErrNoUsage for 22 tokens over max_tokens %v", err, tt.wantSent)
			}
		})
	}
}

func TestPaidTokens(t *testing.T) {
	tests := []struct {
		amount, price int64
		want          uint64
	}{
		{1000, 1000, 1000}, // 1,000 base units at 1,000 per 1k tokens
		{999, 1000, 999},
		{1, 3, 333},
		{0, 5, 0},
		{5, 0, math.MaxUint64},
	}
	for _, tt := range tests {
		got := PaidTokens(big.NewInt(tt.amount), big.NewInt(tt.price))
		if got != tt.want {
			t.Errorf("PaidTokens(%d, %d) = %d, want %d", tt.amount, tt.price, got, tt.want)
		}
		if tt.price > 0 && got > 0 {
			// What the paid tokens cost never exceeds the amount, and one
			// more token would.
			if c := gpumarket.UnitKTokens.Cost(big.NewInt(tt.price), got); c.Cmp(big.NewInt(tt.amount)) > 0 {
				t.Errorf("Cost(%d tokens) = %v > amount %d", got, c, tt.amount)
			}
			if c := gpumarket.UnitKTokens.Cost(big.NewInt(tt.price), got+1); c.Cmp(big.NewInt(tt.amount)) <= 0 {
				t.Errorf("Cost(%d tokens) = %v still within amount %d", got+1, c, tt.amount)
			}
		}
	}
}

func TestLLMRefusesBadParams(t *testing.T) {
	tests := []struct {
		name   string
		model  string
		params map[string]any
		want   string
	}{
		{"unknown market model", "gpt-5", map[string]any{"prompt": "hi"}, `model "gpt-5" is not served`},
		{"no messages", "llama-3-8b", map[string]any{}, "messages (or prompt) is required"},
		{"both", "llama-3-8b", map[string]any{"prompt": "hi", "messages": []Message{{"user", "hi"}}}, "not both"},
		{"bad role", "llama-3-8b", map[string]any{"messages": []Message{{"tool", "hi"}}}, "role"},
		{"empty content", "llama-3-8b", map[string]any{"messages": []Message{{"user", ""}}}, "content is empty"},
		{"temperature", "llama-3-8b", map[string]any{"prompt": "hi", "temperature": 3}, "temperature"},
		{"top_p zero", "llama-3-8b", map[string]any{"prompt": "hi", "top_p": 0}, "top_p"},
		{"too many stops", "llama-3-8b", map[string]any{"prompt": "hi", "stop": []string{"a", "b", "c", "d", "e"}}, "stop sequences"},
		{"unknown field", "llama-3-8b", map[string]any{"prompt": "hi", "logit_bias": map[string]int{"1": 100}}, "logit_bias"},
		{"other model in params", "llama-3-8b", map[string]any{"prompt": "hi", "model": "gpt-5"}, "differs"},
		{"seed", "llama-3-8b", map[string]any{"prompt": "hi", "seed": uint64(1) << 60}, "seed"},
	}
	rs := newReplay(t, loadRecording(t, "vllm/chat.http"))
	l := newTestLLM(t, rs.URL, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := specJob(t, gpumarket.JobKindLLM, tt.model, tt.params, gpumarket.Estimate{InputTokens: 1})
			_, err := l.Run(context.Background(), job)
			if perr := l.Preflight(context.Background(), job); perr == nil || err == nil || perr.Error() != err.Error() {
				t.Errorf("Preflight error = %v, want Run's %v", perr, err)
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run error = %v, want EINVALID naming %q", err, tt.want)
			}
		})
	}
	if _, err := l.Run(context.Background(), specJob(t, gpumarket.JobKindTTS, "llama-3-8b", map[string]any{"text": "hi"}, gpumarket.Estimate{Characters: 2})); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Run(tts job) error = %v, want EINVALID", err)
	}
	if rs.count() != 0 {
		t.Errorf("%d requests sent for refused jobs", rs.count())
	}
}

func TestLLMBareParamsDocument(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "vllm/chat.http"))
	l := newTestLLM(t, rs.URL, nil)
	job := executor.Job{ID: 7, Kind: gpumarket.JobKindLLM, Spec: []byte(`{"model":"llama-3-8b","prompt":"Write a haiku about GPUs.","max_tokens":40}`)}
	res, err := l.Run(context.Background(), job)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Usage.Units2 != 22 {
		t.Errorf("Usage = %+v", res.Usage)
	}
	var sent struct {
		Model     string  `json:"model"`
		MaxTokens float64 `json:"max_tokens"`
	}
	json.Unmarshal(rs.last(t).body, &sent)
	if sent.Model != "meta-llama/Llama-3.1-8B-Instruct" || sent.MaxTokens != 40 {
		t.Errorf("sent %+v", sent)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	tests := []struct {
		file   string
		stream bool
	}{
		{"vllm/chat.http", false},
		{"vllm/chat_stream.http", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := loadRecording(t, tt.file) // no Content-Length: the reader must catch it
			rs := newReplay(t, rec)
			l := newTestLLM(t, rs.URL, func(c *LLMConfig) { c.Stream = tt.stream; c.MaxResponseBytes = int64(len(rec.body) - 1) })
			if _, err := l.Run(context.Background(), haikuJob(t, nil)); !errors.Is(err, executor.ErrOutputLimit) {
				t.Errorf("Run error = %v, want ErrOutputLimit for a body one byte over", err)
			}
			l = newTestLLM(t, rs.URL, func(c *LLMConfig) { c.Stream = tt.stream; c.MaxResponseBytes = int64(len(rec.body)) })
			if _, err := l.Run(context.Background(), haikuJob(t, nil)); err != nil {
				t.Errorf("Run with the limit at the body's size: %v", err)
			}
		})
	}
	// A declared Content-Length over the limit is refused before reading.
	rec := loadRecording(t, "vllm/chat.http")
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(200)
		w.Write(rec.body)
	}))
	defer s.Close()
	l := newTestLLM(t, s.URL, func(c *LLMConfig) { c.MaxResponseBytes = 1000 })
	if _, err := l.Run(context.Background(), haikuJob(t, nil)); !errors.Is(err, executor.ErrOutputLimit) || !strings.Contains(err.Error(), "declares") {
		t.Errorf("Run error = %v, want ErrOutputLimit for a declared size", err)
	}
}

func TestLLMCancellationAndTimeout(t *testing.T) {
	release := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer s.Close()
	defer close(release)

	l := newTestLLM(t, s.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := l.Run(ctx, haikuJob(t, nil)); !errors.Is(err, context.Canceled) {
		t.Errorf("Run error = %v, want context.Canceled", err)
	}

	l = newTestLLM(t, s.URL, func(c *LLMConfig) { c.Timeout = 30 * time.Millisecond })
	if _, err := l.Run(context.Background(), haikuJob(t, nil)); !errors.Is(err, executor.ErrTimeout) {
		t.Errorf("Run error = %v, want ErrTimeout", err)
	}
	job := haikuJob(t, nil)
	job.Deadline = time.Now().Add(-time.Second)
	if _, err := newTestLLM(t, s.URL, nil).Run(context.Background(), job); !errors.Is(err, executor.ErrTimeout) || !strings.Contains(err.Error(), "not started") {
		t.Errorf("Run (past deadline) error = %v, want ErrTimeout, not started", err)
	}
}

func TestAPIKeyNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rs := newReplay(t, loadRecording(t, "vllm/error_engine_dead.http"))
	cfg := LLMConfig{Config: Config{BaseURL: rs.URL, APIKey: testAPIKey, Models: map[string]string{"llama-3-8b": "m"}}}
	l, err := NewLLM(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := l.Run(context.Background(), haikuJob(t, nil))
	rs.Close() // connection refused from now on
	_, err2 := l.Run(context.Background(), haikuJob(t, nil))
	log.Info("config", "cfg", cfg.Config)
	for _, s := range []string{errString(err1), errString(err2), logs.String(), cfg.Config.String()} {
		if strings.Contains(s, testAPIKey) || strings.Contains(s, "SECRET") {
			t.Errorf("the API key leaked into %q", s)
		}
	}
	if err1 == nil || err2 == nil || !strings.Contains(logs.String(), "[redacted]") {
		t.Errorf("errors %v, %v; logs %s", err1, err2, logs.String())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNewLLMConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"not loopback", Config{BaseURL: "http://10.0.0.5:8000", Models: map[string]string{"m": "m"}}, "BaseURL"},
		{"credentials in URL", Config{BaseURL: "http://u:p@127.0.0.1:8000", Models: map[string]string{"m": "m"}}, "BaseURL"},
		{"ftp", Config{BaseURL: "ftp://127.0.0.1", Models: map[string]string{"m": "m"}}, "BaseURL"},
		{"no models", Config{BaseURL: "http://127.0.0.1:8000"}, "Models"},
		{"bad market name", Config{BaseURL: "http://127.0.0.1:8000", Models: map[string]string{"a b": "m"}}, "Models"},
		{"key with newline", Config{BaseURL: "http://127.0.0.1:8000", APIKey: "a\nb", Models: map[string]string{"m": "m"}}, "APIKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLLM(LLMConfig{Config: tt.cfg}, nil)
			var ce *executor.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Errorf("NewLLM error = %v, want a ConfigError for %s", err, tt.field)
			}
		})
	}
	if _, err := NewLLM(LLMConfig{Config: Config{BaseURL: "http://10.0.0.5:8000", AllowNonLoopback: true, Models: map[string]string{"m": "m"}}}, nil); err != nil {
		t.Errorf("NewLLM with AllowNonLoopback: %v", err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"7", 7 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"Thu, 03 Dec 2026 12:00:30 GMT", 30 * time.Second},
		{"Thu, 03 Dec 2026 11:00:00 GMT", 0},
		{"-1", 0},
		{"soon", 0},
		{"999999", time.Hour},
		{"", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.v, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestParseServerError(t *testing.T) {
	tests := []struct {
		name, body string
		want       serverError
		status     int
		wantKind   error
	}{
		{"openai", `{"error":{"message":"m","type":"invalid_request_error","param":null,"code":"context_length_exceeded"}}`,
			serverError{Message: "m", Type: "invalid_request_error", Code: "context_length_exceeded"}, 400, ErrContextLength},
		{"vllm numeric code", `{"error":{"message":"The model ` + "`x`" + ` does not exist.","type":"NotFoundError","param":"model","code":404}}`,
			serverError{Message: "The model `x` does not exist.", Type: "NotFoundError", Status: 404}, 404, ErrModelNotFound},
		{"vllm legacy", `{"object":"error","message":"m","type":"BadRequestError","param":null,"code":400}`,
			serverError{Message: "m", Type: "BadRequestError", Status: 400}, 400, nil},
		{"ollama native", `{"error":"model \"x\" not found, try pulling it first"}`,
			serverError{Message: `model "x" not found, try pulling it first`}, 404, ErrModelNotFound},
		{"fastapi string", `{"detail":"Model 'x' is not installed locally."}`,
			serverError{Message: "Model 'x' is not installed locally."}, 404, ErrModelNotFound},
		{"kokoro object", `{"detail":{"error":"model_not_found","message":"Model 'x' not found","type":"invalid_request_error"}}`,
			serverError{Message: "Model 'x' not found", Type: "invalid_request_error", Code: "model_not_found"}, 404, ErrModelNotFound},
		{"endpoint missing", `{"detail":"Not Found"}`, serverError{Message: "Not Found"}, 404, nil},
		{"html", `<html>502 Bad Gateway</html>`, serverError{}, 502, ErrServerFailed},
		{"rate limit", `{}`, serverError{}, 429, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseServerError([]byte(tt.body))
			if got != tt.want {
				t.Errorf("parseServerError = %+v, want %+v", got, tt.want)
			}
			if kind := classify(tt.status, got); kind != tt.wantKind {
				t.Errorf("classify(%d) = %v, want %v", tt.status, kind, tt.wantKind)
			}
		})
	}
}
