package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
)

// httpError is an error with its HTTP status, made only at this edge (for
// statuses no gpumarket code names: 413, 415, 422, 429), and the
// Retry-After it asks for (429).
type httpError struct {
	status     int
	msg        string
	retryAfter time.Duration
}

func (e *httpError) Error() string { return e.msg }

// badRequest is an EINVALID error: a 400 with this message.
func badRequest(format string, args ...any) error {
	return gpumarket.Errorf(gpumarket.EINVALID, format, args...)
}

// MaxEchoBytes is the most of a client's input a message quotes: quoted
// input is cut to this many bytes (at a rune boundary) and marked as cut.
const MaxEchoBytes = 64

// MaxMessageBytes bounds a whole error message: a message built from
// several inputs, or from a parser quoting the input, is cut to it.
const MaxMessageBytes = 512

// echo returns s, or its first MaxEchoBytes bytes followed by "…" and its
// length, for quoting client input in a message.
func echo(s string) string {
	if len(s) <= MaxEchoBytes {
		return s
	}
	return cut(s, MaxEchoBytes) + fmt.Sprintf("…(%d bytes)", len(s))
}

// cut returns s's first n bytes, backing off to a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// statusOf maps an error to its HTTP status and the message the client
// sees: an httpError's own, the gpumarket code's status with the error's
// message, and otherwise 500 "internal error". Messages are cut to
// MaxMessageBytes; a store's driver text never appears in them
// (internal/postgres gives its translated errors generic messages).
func statusOf(err error) (int, string) {
	status, msg := http.StatusInternalServerError, "internal error"
	var he *httpError
	if errors.As(err, &he) {
		status, msg = he.status, he.msg
	} else {
		switch gpumarket.ErrorCode(err) {
		case gpumarket.EINVALID:
			status, msg = http.StatusBadRequest, gpumarket.ErrorMessage(err)
		case gpumarket.EUNAUTHORIZED:
			status, msg = http.StatusUnauthorized, gpumarket.ErrorMessage(err)
		case gpumarket.ENOTFOUND:
			status, msg = http.StatusNotFound, gpumarket.ErrorMessage(err)
		case gpumarket.ECONFLICT:
			status, msg = http.StatusConflict, gpumarket.ErrorMessage(err)
		case gpumarket.EUNAVAILABLE:
			status, msg = http.StatusServiceUnavailable, gpumarket.ErrorMessage(err)
		}
	}
	if len(msg) > MaxMessageBytes {
		msg = cut(msg, MaxMessageBytes) + "…"
	}
	return status, msg
}

// Error writes err as the response {"error": message} with the status of
// its gpumarket code: EINVALID 400, EUNAUTHORIZED 401, ENOTFOUND 404,
// ECONFLICT 409, EUNAVAILABLE 503, anything else 500 with the message
// "internal error" (the error itself is logged, never shown). A refusal
// that asks the client to come back later (429) carries Retry-After in
// whole seconds. The full error of a 4xx is logged at debug level (its
// message may be generic or cut), with the path cut to MaxEchoBytes.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	path := echo(r.URL.Path)
	switch {
	case status >= 500 && errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away while the request waited (a status stream
		// closed during its first read): nobody reads the answer, and it is
		// no server error. 499 is nginx's "client closed request".
		status, msg = StatusClientClosedRequest, "client closed request"
		s.log.Debug("request abandoned by the client", "method", r.Method, "path", path)
	case status >= 500:
		s.log.Error("request failed", "method", r.Method, "path", path, "err", cut(err.Error(), MaxMessageBytes))
	default:
		s.log.Debug("request refused", "method", r.Method, "path", path, "status", status, "err", cut(err.Error(), MaxMessageBytes))
	}
	var he *httpError
	if errors.As(err, &he) && he.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((he.retryAfter+time.Second-1)/time.Second), 10))
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// StatusClientClosedRequest is the status Error records for a request
// whose client went away before it was answered (nginx's 499), so that
// request logs and metrics do not count it as a server error.
const StatusClientClosedRequest = 499

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}
