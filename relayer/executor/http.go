package executor

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
)

// HTTPConfig configures an [HTTP] executor. Zero durations and sizes take the
// defaults named on each field.
type HTTPConfig struct {
	// URL is the inference server's endpoint, fixed for every job. Required.
	// It must be http or https on a loopback address (127.0.0.0/8, ::1 or
	// localhost) unless AllowNonLoopback is set.
	URL string
	// AllowNonLoopback permits a URL, and connections, to other addresses.
	AllowNonLoopback bool
	// ContentType, when set, is the media type the response must have
	// (parameters such as charset are ignored); otherwise any is accepted
	// and reported.
	ContentType string
	// Timeout bounds each request (the job's deadline may bound it further).
	// Default 10m.
	Timeout time.Duration
	// MaxResponseBytes bounds the response body. Default 64 MiB.
	MaxResponseBytes int64
	// MaxSpecBytes bounds the job spec. Default 16 MiB.
	MaxSpecBytes int
	// Preflight sets the kinds, models and input limits Preflight accepts.
	Preflight PreflightConfig
}

// HTTP posts each job's spec to a local inference server.
//
// The protocol: POST URL with the spec as the body (Content-Type
// application/json) and the headers Gpumarket-Job-Id and Gpumarket-Job-Kind.
// The server answers 200 with the output as the body and its usage in the
// headers Gpumarket-Usage-Units1 and Gpumarket-Usage-Units2 (decimal;
// Units1 is required, Units2 defaults to 0). Redirects are not followed,
// proxies from the environment are not used, and unless AllowNonLoopback is
// set every connection is checked to go to a loopback address.
type HTTP struct {
	cfg    HTTPConfig
	log    *slog.Logger
	now    func() time.Time
	client *http.Client
}

var _ Executor = (*HTTP)(nil)

// NewHTTP returns an HTTP executor. It returns a *ConfigError (EINVALID)
// naming the field when cfg is invalid (unparsable or non-loopback URL).
func NewHTTP(cfg HTTPConfig, log *slog.Logger) (*HTTP, error) {
	cfg.Timeout = cmp.Or(cfg.Timeout, 10*time.Minute)
	cfg.MaxResponseBytes = cmp.Or(cfg.MaxResponseBytes, 64<<20)
	cfg.MaxSpecBytes = cmp.Or(cfg.MaxSpecBytes, 16<<20)
	bad := func(field, format string, args ...any) error { return badConfig("http", field, format, args...) }
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, bad("URL", "%v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, bad("URL", "%q: want http(s)://host[:port]/path without credentials", cfg.URL)
	}
	if !cfg.AllowNonLoopback && !LoopbackHost(u.Hostname()) {
		return nil, bad("URL", "%q is not a loopback address (set AllowNonLoopback to allow it)", cfg.URL)
	}
	if cfg.Timeout < 0 || cfg.MaxResponseBytes < 0 || cfg.MaxSpecBytes < 0 {
		return nil, bad("Timeout/MaxResponseBytes/MaxSpecBytes", "negative value")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	client := NewEngineClient(cfg.AllowNonLoopback, 4)
	return &HTTP{cfg: cfg, log: log, now: time.Now, client: client}, nil
}

// Run posts the job's spec and returns the response body. Besides the errors
// listed on [Executor], it returns an *[HTTPStatusError] for a non-200
// response and [ErrNoUsage] when the usage headers are missing or malformed.
func (h *HTTP) Run(ctx context.Context, job Job) (*Result, error) {
	if err := job.Check(h.cfg.MaxSpecBytes); err != nil {
		return nil, err
	}
	if !json.Valid(job.Spec) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is not valid JSON", job.ID)
	}
	ctx, cancel := withJobTimeout(ctx, h.now(), h.cfg.Timeout, job)
	defer cancel()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("run job %d: not started: %w", job.ID, context.Cause(ctx))
	}
	res, err := h.post(ctx, job)
	if err != nil {
		if errors.Is(context.Cause(ctx), ErrTimeout) {
			err = fmt.Errorf("%w (timeout %v or the job deadline): %v", ErrTimeout, h.cfg.Timeout, err)
		} else if ctx.Err() != nil {
			err = fmt.Errorf("%w: %v", context.Cause(ctx), err)
		}
		h.log.Warn("job failed", "job_id", job.ID, "kind", job.Kind, "err", err)
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	h.log.Info("job done", "job_id", job.ID, "kind", job.Kind, "bytes", len(res.Body), "units1", res.Usage.Units1, "units2", res.Usage.Units2)
	return res, nil
}

// HTTPStatusError is returned when the server answers with a status other
// than 200.
type HTTPStatusError struct {
	StatusCode int
	// Body is the start of the response body (at most 4 KiB). It may contain
	// job data: treat it as private.
	Body []byte
}

// Error reports the status; the body is left out of it.
func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("inference server answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

func (h *HTTP) post(ctx context.Context, job Job) (*Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(job.Spec))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Gpumarket-Job-Id", job.ID.String())
	req.Header.Set("Gpumarket-Job-Kind", job.Kind.String())
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post spec: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, &HTTPStatusError{StatusCode: resp.StatusCode, Body: head}
	}
	ct := resp.Header.Get("Content-Type")
	if h.cfg.ContentType != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !strings.EqualFold(mt, h.cfg.ContentType) {
			return nil, fmt.Errorf("response content type %q, want %q", ct, h.cfg.ContentType)
		}
	}
	if resp.ContentLength > h.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("%w: response declares %d bytes, limit %d", ErrOutputLimit, resp.ContentLength, h.cfg.MaxResponseBytes)
	}
	usage, err := usageHeaders(resp.Header)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, h.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if int64(len(body)) > h.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("%w: response over %d bytes", ErrOutputLimit, h.cfg.MaxResponseBytes)
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &Result{Body: body, ContentType: ct, Usage: usage}, nil
}

func usageHeaders(h http.Header) (gpumarket.Usage, error) {
	parse := func(name string, required bool) (uint64, error) {
		vs := h.Values(name)
		switch {
		case len(vs) == 0 && !required:
			return 0, nil
		case len(vs) != 1:
			return 0, fmt.Errorf("%w: want exactly one %s header, got %d", ErrNoUsage, name, len(vs))
		}
		v := vs[0]
		if v == "" || len(v) > 20 || strings.TrimLeft(v, "0123456789") != "" {
			return 0, fmt.Errorf("%w: %s %q is not a decimal integer", ErrNoUsage, name, v)
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s %q: %v", ErrNoUsage, name, v, err)
		}
		return n, nil
	}
	u1, err := parse("Gpumarket-Usage-Units1", true)
	if err != nil {
		return gpumarket.Usage{}, err
	}
	u2, err := parse("Gpumarket-Usage-Units2", false)
	if err != nil {
		return gpumarket.Usage{}, err
	}
	return gpumarket.Usage{Units1: u1, Units2: u2}, nil
}
