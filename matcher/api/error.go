package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
)

// httpError is an error with its HTTP status, made only at this edge (for
// statuses no gpumarket code names: 413, 415, 422).
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// statusOf maps an error to its HTTP status and the message the client
// sees: an httpError's own, the gpumarket code's status with the error's
// message, and otherwise 500 "internal error".
func statusOf(err error) (int, string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.msg
	}
	switch gpumarket.ErrorCode(err) {
	case gpumarket.EINVALID:
		return http.StatusBadRequest, gpumarket.ErrorMessage(err)
	case gpumarket.EUNAUTHORIZED:
		return http.StatusUnauthorized, gpumarket.ErrorMessage(err)
	case gpumarket.ENOTFOUND:
		return http.StatusNotFound, gpumarket.ErrorMessage(err)
	case gpumarket.ECONFLICT:
		return http.StatusConflict, gpumarket.ErrorMessage(err)
	case gpumarket.EUNAVAILABLE:
		return http.StatusServiceUnavailable, gpumarket.ErrorMessage(err)
	}
	return http.StatusInternalServerError, "internal error"
}

// Error writes err as the response {"error": message} with the status of
// its gpumarket code: EINVALID 400, EUNAUTHORIZED 401, ENOTFOUND 404,
// ECONFLICT 409, EUNAVAILABLE 503, anything else 500 with the message
// "internal error" (the error itself is logged, never shown).
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", httpserve.Truncate(r.URL.Path, httpserve.MaxLoggedPath), "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}
