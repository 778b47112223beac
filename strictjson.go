package gpumarket

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Errorf(EINVALID, "read %s: %v", what, err)
	}
	if int64(len(b)) > limit {
		return Errorf(EINVALID, "%s is larger than %d bytes", what, limit)
	}
	if err := strictUnmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// strictUnmarshal decodes exactly one JSON value with no unknown fields and
// nothing but white space after it; errors are EINVALID.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return Errorf(EINVALID, "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(EINVALID, "malformed JSON: data after the value")
	}
	return nil
}
