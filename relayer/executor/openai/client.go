package openai

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Config is what every OpenAI-compatible executor needs: where the server
// is, how to authenticate, which market models it serves and the limits of
// one job. Zero durations and sizes take the defaults named on each field.
type Config struct {
	// BaseURL is the server's root, without the /v1 path (for example
	// http://127.0.0.1:8000 for vLLM, http://127.0.0.1:11434 for Ollama,
	// http://127.0.0.1:8080 for llama.cpp's server). Required. It must be
	// http or https on a loopback address unless AllowNonLoopback is set.
	BaseURL string
	// AllowNonLoopback permits a BaseURL, and connections, to other addresses.
	AllowNonLoopback bool
	// APIKey, when set, is sent as "Authorization: Bearer <key>". It never
	// appears in an error, a log line or String.
	APIKey string
	// Models maps each market model name a job may ask for to the model id
	// the server knows it by. Required: a job for a model not listed is
	// refused before anything is sent.
	Models map[string]string
	// Timeout bounds each job's request (the job's deadline may bound it
	// further). Default 10m.
	Timeout time.Duration
	// MaxResponseBytes bounds the server's response body. Default 64 MiB.
	MaxResponseBytes int64
	// MaxSpecBytes bounds the job spec. Default gpumarket.MaxJobSpecBytes.
	MaxSpecBytes int
	// MaxInputBytes bounds each input the job names (the audio of an STT
	// job). Default 32 MiB.
	MaxInputBytes int64
	// Inputs fetches the inputs whose URI is not a data: URI (https:, ipfs:);
	// nil refuses such jobs. The executor checks the size and sha256 the job
	// declares on whatever it returns.
	// executor.URLInputs is the relayer's.
	Inputs executor.InputFetcher
}

// String describes the configuration with the API key redacted.
func (c Config) String() string {
	key := ""
	if c.APIKey != "" {
		key = "[redacted]"
	}
	return fmt.Sprintf("openai{base_url=%s api_key=%q models=%d timeout=%v max_response_bytes=%d}",
		c.BaseURL, key, len(c.Models), c.Timeout, c.MaxResponseBytes)
}

// LogValue makes slog print the redacted String.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

var modelName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$`)

// client is the HTTP side shared by the three executors.
type client struct {
	cfg  Config
	base *url.URL
	kind string // "llm", "tts" or "stt": for errors and logs
	log  *slog.Logger
	now  func() time.Time
	http *http.Client
}

func newClient(kind string, cfg Config, log *slog.Logger) (*client, error) {
	cfg.Timeout = cmp.Or(cfg.Timeout, 10*time.Minute)
	cfg.MaxResponseBytes = cmp.Or(cfg.MaxResponseBytes, 64<<20)
	cfg.MaxSpecBytes = cmp.Or(cfg.MaxSpecBytes, gpumarket.MaxJobSpecBytes)
	cfg.MaxInputBytes = cmp.Or(cfg.MaxInputBytes, 32<<20)
	name := "openai-" + kind
	bad := func(field, format string, args ...any) error {
		return &executor.ConfigError{Executor: name, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, bad("BaseURL", "%v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("BaseURL", "%q: want http(s)://host[:port][/path] without credentials, query or fragment", cfg.BaseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.Path = strings.TrimSuffix(u.Path, "/v1")
	if !cfg.AllowNonLoopback && !executor.LoopbackHost(u.Hostname()) {
		return nil, bad("BaseURL", "%q is not a loopback address (set AllowNonLoopback to allow it)", cfg.BaseURL)
	}
	if strings.ContainsAny(cfg.APIKey, "\r\n") {
		return nil, bad("APIKey", "contains a line break")
	}
	if len(cfg.Models) == 0 {
		return nil, bad("Models", "empty: map at least one market model to the server's model id")
	}
	for market, server := range cfg.Models {
		if !modelName.MatchString(market) {
			return nil, bad("Models", "market model %q: want 1 to 128 of [A-Za-z0-9._:/@+-]", market)
		}
		if server == "" || len(server) > 256 || strings.ContainsAny(server, "\x00\r\n") {
			return nil, bad("Models", "server model id for %q: want 1 to 256 bytes without NUL or line breaks", market)
		}
	}
	if cfg.Timeout < 0 || cfg.MaxResponseBytes < 0 || cfg.MaxSpecBytes < 0 || cfg.MaxInputBytes < 0 {
		return nil, bad("Timeout/MaxResponseBytes/MaxSpecBytes/MaxInputBytes", "negative value")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hc := executor.NewEngineClient(cfg.AllowNonLoopback, 8)
	return &client{cfg: cfg, base: u, kind: kind, log: log, now: time.Now, http: hc}, nil
}

// serverModel returns the server's id for a market model, or an EINVALID
// error for a model this executor does not serve.
func (c *client) serverModel(job executor.Job, market string) (string, error) {
	id, ok := c.cfg.Models[market]
	if !ok {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "job %d: model %q is not served by this %s executor", job.ID, clip(market, 64), c.kind)
	}
	return id, nil
}

// endpoint returns the URL of path (such as "/v1/chat/completions").
func (c *client) endpoint(path string) string {
	u := *c.base
	u.Path += path
	return u.String()
}

// post sends body to path and returns the response when it is 200; any other
// status is read (at most errorBodyLimit bytes) and returned as a
// *StatusError.
func (c *client) post(ctx context.Context, path, contentType string, body []byte, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept)
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// url.Error names the URL, never a header: the key stays out of it.
		return nil, fmt.Errorf("post %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		head, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
		return nil, statusError(resp.StatusCode, resp.Header, head, c.now())
	}
	if resp.ContentLength > c.cfg.MaxResponseBytes {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: response declares %d bytes, limit %d", executor.ErrOutputLimit, resp.ContentLength, c.cfg.MaxResponseBytes)
	}
	return resp, nil
}

// readBody reads a whole response body of at most limit bytes; more fails
// with executor.ErrOutputLimit.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(newCapReader(r, limit))
}

// capReader fails with an ErrOutputLimit error once more than limit bytes
// have come through, instead of the silent EOF of io.LimitReader.
type capReader struct {
	r     io.Reader
	left  int64 // bytes still allowed; -1 once the limit is passed
	limit int64
}

func newCapReader(r io.Reader, limit int64) *capReader {
	return &capReader{r: r, left: limit, limit: limit}
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.over()
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // one byte more than allowed tells "over" from "exactly"
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n - 1, c.over()
	}
	return n, err
}

func (c *capReader) over() error {
	return fmt.Errorf("%w: response over %d bytes", executor.ErrOutputLimit, c.limit)
}

// run wraps one job's work with its timeout, and maps the context's end to
// executor.ErrTimeout or the caller's cancellation.
func (c *client) run(ctx context.Context, job executor.Job, work func(ctx context.Context) (*executor.Result, error)) (*executor.Result, error) {
	end := c.now().Add(c.cfg.Timeout)
	if !job.Deadline.IsZero() && job.Deadline.Before(end) {
		end = job.Deadline
	}
	ctx, cancel := context.WithDeadlineCause(ctx, end, executor.ErrTimeout)
	defer cancel()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("run job %d: not started: %w", job.ID, context.Cause(ctx))
	}
	start := c.now()
	res, err := work(ctx)
	if err != nil {
		var ge *gpumarket.Error
		switch {
		case errors.As(err, &ge) && ge.Code == gpumarket.EINVALID:
			return nil, err // refused before anything was sent
		case errors.Is(context.Cause(ctx), executor.ErrTimeout):
			err = fmt.Errorf("%w (timeout %v or the job deadline): %v", executor.ErrTimeout, c.cfg.Timeout, err)
		case ctx.Err() != nil:
			err = fmt.Errorf("%w: %v", context.Cause(ctx), err)
		}
		c.log.Warn("job failed", "job_id", job.ID, "kind", job.Kind, "executor", "openai-"+c.kind, "err", err)
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	c.log.Info("job done", "job_id", job.ID, "kind", job.Kind, "executor", "openai-"+c.kind,
		"bytes", len(res.Body), "units1", res.Usage.Units1, "units2", res.Usage.Units2, "elapsed", c.now().Sub(start))
	return res, nil
}

// clip returns s cut to at most n bytes, for error messages that name a
// piece of client input without echoing all of it.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
