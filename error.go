package gpumarket

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error codes: the conditions callers branch on. They are mapped to HTTP
// statuses and exit codes only at the edges (cmd/, HTTP handlers).
const (
	ECONFLICT     = "conflict"     // the action clashes with current state (already done, duplicate)
	EINTERNAL     = "internal"     // a bug or an unexpected failure
	EINVALID      = "invalid"      // the input is malformed or violates a rule
	ENOTFOUND     = "not_found"    // the thing does not exist
	EUNAUTHORIZED = "unauthorized" // bad, replayed or expired signature; wrong signer
	EUNAVAILABLE  = "unavailable"  // a dependency (node, database) cannot be reached now
)

// Error is a domain error with a code and a message fit for the user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil,
// and EINTERNAL for any other error.
func ErrorCode(err error) string {
	return errorPart(err, func(e *Error) string { return e.Code }, EINTERNAL)
}

// ErrorMessage returns the message of the first *Error in err's chain, and a
// generic message for other errors, so that internals never leak to users.
func ErrorMessage(err error) string {
	return errorPart(err, func(e *Error) string { return e.Message }, "internal error")
}

// errorPart returns part of the first *Error in err's chain, "" for nil, and
// other for any other error.
func errorPart(err error, part func(*Error) string, other string) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return part(e)
	}
	return other
}

type errString string

func (e errString) Error() string { return string(e) }

func itoa(n int) string { return strconv.Itoa(n) }

// maxQuotedInput bounds how much of a rejected input an error message
// quotes: enough to recognize it, never enough to amplify a request into a
// large response or log line.
const maxQuotedInput = 64

// quoteInput returns s quoted as %q would, cut to its first maxQuotedInput
// bytes (at a rune boundary) and followed by its length when it was longer.
func quoteInput(s string) string {
	if len(s) <= maxQuotedInput {
		return strconv.Quote(s)
	}
	n := maxQuotedInput
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
