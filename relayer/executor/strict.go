package executor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
)

// decodeStrict decodes a JSON object into v, refusing what encoding/json
// would let through: keys outside allowed (matched exactly, not
// case-insensitively), duplicate keys, anything other than one object, and
// trailing data.
func decodeStrict(data []byte, allowed []string, v any) error {
	if !utf8.Valid(data) {
		return errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	seen := make(map[string]bool, len(allowed))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("malformed JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return errors.New("malformed JSON: object key is not a string")
		}
		if !slices.Contains(allowed, key) {
			return fmt.Errorf("unknown field %q", key)
		}
		if seen[key] {
			return fmt.Errorf("duplicate field %q", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("field %q: %w", key, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return simplifyJSONError(err)
	}
	return nil
}

// simplifyJSONError turns encoding/json's type errors into "field x: want
// number" style messages.
func simplifyJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: want %v, got JSON %s", te.Field, te.Type, te.Value)
	}
	return err
}

// decodeUsage decodes {"units1": N, "units2": M}; both fields are optional
// non-negative integers and nothing else is allowed.
func decodeUsage(data []byte) (gpumarket.Usage, error) {
	var v struct {
		Units1 uint64 `json:"units1"`
		Units2 uint64 `json:"units2"`
	}
	if err := decodeStrict(data, []string{"units1", "units2"}, &v); err != nil {
		return gpumarket.Usage{}, err
	}
	return gpumarket.Usage{Units1: v.Units1, Units2: v.Units2}, nil
}
