package openai

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Conditions callers branch on, checked with errors.Is. A *StatusError
// unwraps to the one that applies.
var (
	// ErrModelNotFound: the server does not serve the model the executor's
	// Models map names (a 404 about a model, or error code
	// model_not_found). A configuration problem of the provider: retrying
	// will not help.
	ErrModelNotFound = errors.New("model not found on the inference server")
	// ErrContextLength: the prompt (with the requested completion) does not
	// fit the model's context window (code context_length_exceeded,
	// llama.cpp's exceed_context_size_error, vLLM's "maximum context length"
	// message). The job cannot run on this server.
	ErrContextLength = errors.New("request exceeds the model's context length")
	// ErrRateLimited: the server answered 429. StatusError.RetryAfter holds
	// the delay it asked for (0 when it gave none).
	ErrRateLimited = errors.New("inference server is rate limiting")
	// ErrServerFailed: the server answered 5xx or reported an error in the
	// middle of a stream. Retryable.
	ErrServerFailed = errors.New("inference server failed")
	// ErrNoUsage is executor.ErrNoUsage: the server reported no usage, or
	// usage inconsistent with its output.
	ErrNoUsage = executor.ErrNoUsage
)

// errorBodyLimit bounds how much of an error response is read.
const errorBodyLimit = 64 << 10

// StatusError is returned when the server answers with a status other than
// 200, or reports an error inside a 200 event stream (StatusCode is then the
// error's own code, or 500). It unwraps to ErrModelNotFound,
// ErrContextLength, ErrRateLimited or ErrServerFailed when one applies.
type StatusError struct {
	StatusCode int
	// Type and Code are the server's error type and code, reduced to
	// identifier characters (they name a condition, not job data).
	Type, Code string
	// RetryAfter is the delay a 429 or 503 asked for in its Retry-After
	// header (seconds or an HTTP date), 0 when none.
	RetryAfter time.Duration
	// Message is the server's error message, at most 1 KiB. It may quote
	// job data: treat it as private; Error leaves it out.
	Message string

	kind error
}

// Error reports the status, the server's error type and code and the delay
// asked for; never the message or the body.
func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "inference server answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Type != "" || e.Code != "" {
		fmt.Fprintf(&b, " (type %q, code %q)", e.Type, e.Code)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, ", retry after %v", e.RetryAfter)
	}
	if e.kind != nil {
		fmt.Fprintf(&b, ": %v", e.kind)
	}
	return b.String()
}

// Unwrap returns the condition the status maps to, or nil.
func (e *StatusError) Unwrap() error { return e.kind }

// Retryable reports whether the same request may succeed later: a 429, or a
// server failure (5xx or a mid-stream error) other than a context overflow.
func (e *StatusError) Retryable() bool {
	return errors.Is(e.kind, ErrRateLimited) || errors.Is(e.kind, ErrServerFailed)
}

// RetryAfter returns the delay a rate-limited server asked for, and whether
// err carries one (a *StatusError with a Retry-After header).
func RetryAfter(err error) (time.Duration, bool) {
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return se.RetryAfter, true
	}
	return 0, false
}

// serverError is the error detail an OpenAI-compatible server may send, in
// any of the shapes seen in the wild:
//   - {"error": {"message", "type", "code"}} (OpenAI, vLLM ≥ 0.9, llama.cpp,
//     Ollama's /v1); code is a string (OpenAI, Ollama) or the HTTP status
//     (vLLM, llama.cpp);
//   - {"object": "error", "message", "type", "code"} (older vLLM);
//   - {"error": "message"} (Ollama's native API);
//   - {"detail": "message"} or {"detail": {"error", "message", "type"}}
//     (FastAPI servers: speaches, Kokoro-FastAPI, openedai-speech).
type serverError struct {
	Message string
	Type    string
	Code    string
	Status  int // a numeric code, when the body has one
}

func parseServerError(body []byte) serverError {
	var top struct {
		Error   json.RawMessage `json:"error"`
		Detail  json.RawMessage `json:"detail"`
		Message json.RawMessage `json:"message"`
		Type    json.RawMessage `json:"type"`
		Code    json.RawMessage `json:"code"`
	}
	if json.Unmarshal(body, &top) != nil {
		return serverError{}
	}
	var se serverError
	fill := func(msg, typ, code json.RawMessage) {
		se.Message = jsonString(msg)
		se.Type = jsonString(typ)
		se.Code = jsonString(code)
		if n, err := strconv.Atoi(string(code)); err == nil {
			se.Status, se.Code = n, ""
		}
	}
	var obj struct {
		Message json.RawMessage `json:"message"`
		Type    json.RawMessage `json:"type"`
		Code    json.RawMessage `json:"code"`
		Error   json.RawMessage `json:"error"` // Kokoro: detail.error is a code
	}
	switch {
	case len(top.Error) > 0 && top.Error[0] == '{':
		if json.Unmarshal(top.Error, &obj) == nil {
			fill(obj.Message, obj.Type, obj.Code)
		}
	case len(top.Error) > 0 && top.Error[0] == '"':
		se.Message = jsonString(top.Error)
	case len(top.Detail) > 0 && top.Detail[0] == '{':
		if json.Unmarshal(top.Detail, &obj) == nil {
			code := obj.Code
			if len(code) == 0 {
				code = obj.Error
			}
			fill(obj.Message, obj.Type, code)
		}
	case len(top.Detail) > 0 && top.Detail[0] == '"':
		se.Message = jsonString(top.Detail)
	case len(top.Message) > 0:
		fill(top.Message, top.Type, top.Code)
	}
	return se
}

// jsonString returns raw as a string when it is a JSON string, else "".
func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// statusError builds the *StatusError of a non-200 response.
func statusError(status int, h http.Header, body []byte, now time.Time) *StatusError {
	se := parseServerError(body)
	e := &StatusError{StatusCode: status, Type: identifier(se.Type), Code: identifier(se.Code), Message: clip(se.Message, 1024)}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter = parseRetryAfter(h.Get("Retry-After"), now)
	}
	e.kind = classify(status, se)
	return e
}

// classify maps a status and error detail to the condition it means.
func classify(status int, se serverError) error {
	msg := strings.ToLower(se.Message)
	code := strings.ToLower(se.Code)
	typ := strings.ToLower(se.Type)
	switch {
	case code == "model_not_found" || typ == "model_not_found":
		return ErrModelNotFound
	case code == "context_length_exceeded" || typ == "exceed_context_size_error" ||
		strings.Contains(msg, "maximum context length") ||
		strings.Contains(msg, "exceeds the available context size") ||
		strings.Contains(msg, "context length exceeded"):
		return ErrContextLength
	case status == http.StatusNotFound && strings.Contains(msg, "model"):
		return ErrModelNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServerFailed
	}
	return nil
}

// identifier keeps the identifier characters of s (at most 64), so that a
// server's type or code can go into an error message without carrying data.
func identifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			break
		}
		if r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maxRetryAfter caps the delay a server may ask for.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date
// (RFC 9110 §10.2.3). It returns 0 for an absent, malformed or past value,
// and at most maxRetryAfter.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
