package gpumarket

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validation of the domain's documents (attestation, heartbeat, job spec,
// assignment) is strict and separate from decoding: the Decode* functions
// reject oversize input, unknown fields and trailing data, then call
// Validate, whose errors are EINVALID and name the offending field with a
// JSON path ("capabilities[1].prices[0].amount").

// Text limits shared by the documents' Validate methods.
const (
	maxNameLen  = 128
	maxShortLen = 32
)

func invalidField(field, format string, args ...any) *Error {
	return Errorf(EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}

// checkText requires valid UTF-8 of at most max bytes without control
// characters or surrounding white space, and non-empty when required.
func checkText(field, s string, max int, required bool) error {
	switch {
	case s == "" && required:
		return invalidField(field, "is required")
	case len(s) > max:
		return invalidField(field, "is %d bytes, want at most %d", len(s), max)
	case !utf8.ValidString(s):
		return invalidField(field, "is not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return invalidField(field, "has leading or trailing white space")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return invalidField(field, "contains control character %U", r)
		}
	}
	return nil
}

func checkUnique(field string, ss []string, max int) error {
	seen := make(map[string]bool, len(ss))
	for i, s := range ss {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), s, max, true); err != nil {
			return err
		}
		if seen[s] {
			return invalidField(fmt.Sprintf("%s[%d]", field, i), "%q is listed twice", s)
		}
		seen[s] = true
	}
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
