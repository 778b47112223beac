package gpumarket

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// UnmarshalStrict decodes b, which must hold exactly one JSON value, into v
// (a non-nil pointer). It is the one JSON decoder for everything the system
// reads from outside (documents, request bodies, files, executor specs), and
// it refuses what encoding/json lets through:
//   - bytes that are not valid UTF-8 (encoding/json replaces them with U+FFFD);
//   - a key that appears twice in one object, at any depth (encoding/json
//     keeps the last);
//   - a key that names no field of the struct it fills, compared exactly
//     (encoding/json matches field names case-insensitively, so "Slots"
//     would fill "slots");
//   - anything but an object where v points to a struct or a map;
//   - anything but white space after the value.
//
// Inside a value whose type has its own UnmarshalJSON or UnmarshalText,
// only duplicate keys are checked: such a method checks its own field names
// by calling UnmarshalStrict on a wire struct (see Price.UnmarshalJSON).
//
// Every failure is an EINVALID *Error whose message says what is wrong:
// "not valid UTF-8", "input is empty", "malformed JSON at byte N: …",
// "not a JSON object", `unknown field "x"`, `duplicate field "x"` (both
// followed by ` in <path>` below the top level), `malformed JSON: field
// "x": want int, got JSON string`, "trailing data after the value". A
// *Error returned by a nested UnmarshalJSON or UnmarshalText (an amount, an
// address) is returned as it is.
func UnmarshalStrict(b []byte, v any) error {
	if !utf8.Valid(b) {
		return Errorf(EINVALID, "not valid UTF-8")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return Errorf(EINTERNAL, "UnmarshalStrict into %T: want a non-nil pointer", v)
	}
	c := checker{dec: json.NewDecoder(bytes.NewReader(b))}
	c.dec.UseNumber()
	if err := c.value(shapeOf(rv.Type()), "", true); err != nil {
		return err
	}
	if _, err := c.dec.Token(); err != io.EOF {
		return Errorf(EINVALID, "trailing data after the value")
	}

	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeValid reads one T from r with DecodeStrict (at most limit bytes,
// what naming it in errors) and validates it; a validation error is wrapped
// as "decode <what>: …". Every failure is an EINVALID error.
func decodeValid[T any, P interface {
	*T
	Validate() error
}](r io.Reader, limit int64, what string) (*T, error) {
	var v T
	if err := DecodeStrict(r, limit, what, &v); err != nil {
		return nil, err
	}
	if err := P(&v).Validate(); err != nil {
		return nil, fmt.Errorf("decode %s: %w", what, err)
	}
	return &v, nil
}

// DecodeStrict reads at most limit bytes from r and decodes them into v with
// UnmarshalStrict. what names the input in errors: "<what> is larger than
// <limit> bytes", "read <what>: …" and "decode <what>: …" wrapping
// UnmarshalStrict's error. Every failure is an EINVALID error.
func DecodeStrict(r io.Reader, limit int64, what string, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Errorf(EINVALID, "read %s: %v", what, err)
	}
	if int64(len(b)) > limit {
		return Errorf(EINVALID, "%s is larger than %d bytes", what, limit)
	}
	if err := UnmarshalStrict(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// decodeError turns encoding/json's errors into EINVALID errors that say
// what is wrong; a *Error from a nested unmarshaler passes through.
func decodeError(err error) error {
	var (
		e  *Error
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &te) && te.Field != "":
		return Errorf(EINVALID, "malformed JSON: field %q: want %v, got JSON %s", te.Field, te.Type, te.Value)
	case errors.As(err, &te):
		return Errorf(EINVALID, "malformed JSON: want %v, got JSON %s", te.Type, te.Value)
	case errors.As(err, &se):
		return Errorf(EINVALID, "malformed JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(EINVALID, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return Errorf(EINVALID, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// checker walks the tokens of one JSON value beside the Go type it will
// fill, refusing duplicate keys everywhere and inexact field names where
// the type is known. A nil type stands for "any": keys are checked for
// duplicates only.
type checker struct{ dec *json.Decoder }

func (c *checker) value(t reflect.Type, path string, top bool) error {
	tok, err := c.dec.Token()
	if err != nil {
		return syntaxError(err, top)
	}
	d, isDelim := tok.(json.Delim)
	if top && t != nil && (t.Kind() == reflect.Struct || t.Kind() == reflect.Map) && d != '{' {
		return Errorf(EINVALID, "not a JSON object")
	}
	if !isDelim {
		return nil
	}
	if d == '[' {
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = shapeOf(t.Elem())
		}
		for i := 0; c.dec.More(); i++ {
			if err := c.value(elem, fmt.Sprintf("%s[%d]", path, i), false); err != nil {
				return err
			}
		}
	} else {
		if err := c.object(t, path); err != nil {
			return err
		}
	}
	if _, err := c.dec.Token(); err != nil { // the closing delimiter
		return syntaxError(err, false)
	}
	return nil
}

func (c *checker) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	if t != nil && t.Kind() == reflect.Struct {
		fields = structFields(t)
	}
	seen := make(map[string]bool)
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return syntaxError(err, false)
		}
		key, _ := tok.(string) // the decoder refuses keys that are not strings
		if seen[key] {
			return Errorf(EINVALID, "duplicate field %q%s", key, where(path))
		}
		seen[key] = true
		var child reflect.Type
		switch {
		case fields != nil:
			ft, ok := fields[key]
			if !ok {
				return Errorf(EINVALID, "unknown field %q%s", key, where(path))
			}
			child = shapeOf(ft)
		case t != nil && t.Kind() == reflect.Map:
			child = shapeOf(t.Elem())
		}
		childPath := key
		if path != "" {
			childPath = path + "." + key
		}
		if err := c.value(child, childPath, false); err != nil {
			return err
		}
	}
	return nil
}

func where(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

func syntaxError(err error, top bool) error {
	var se *json.SyntaxError
	switch {
	case top && err == io.EOF:
		return Errorf(EINVALID, "input is empty: want a JSON value")
	case errors.As(err, &se):
		return Errorf(EINVALID, "malformed JSON at byte %d: %v", se.Offset, se)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "malformed JSON: unexpected end of input")
	}
	return Errorf(EINVALID, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeOf returns the type whose JSON shape the checker follows for a value
// of type t: t without pointers, or nil when the value decodes itself
// (json.Unmarshaler, encoding.TextUnmarshaler, json.RawMessage) or is an
// interface.
func shapeOf(t reflect.Type) reflect.Type {
	for {
		if t.Implements(jsonUnmarshalerType) || t.Implements(textUnmarshalerType) {
			return nil
		}
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
			continue
		case reflect.Interface:
			return nil
		}
		if p := reflect.PointerTo(t); p.Implements(jsonUnmarshalerType) || p.Implements(textUnmarshalerType) {
			return nil
		}
		return t
	}
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// structFields returns the JSON names of t's fields and their types, by
// encoding/json's rules: the tag's name or else the field's, "-" skipped,
// unexported fields skipped, the fields of untagged embedded structs
// promoted, and of several fields with one name the shallowest wins (at one
// depth the only tagged one, else none).
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	type field struct {
		typ    reflect.Type
		depth  int
		tagged bool
		count  int // fields with this name, depth and taggedness
	}
	best := make(map[string]field)
	var walk func(t reflect.Type, depth int, visiting map[reflect.Type]bool)
	walk = func(t reflect.Type, depth int, visiting map[reflect.Type]bool) {
		if visiting[t] {
			return
		}
		visiting[t] = true
		defer delete(visiting, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if !validTagName(name) {
				name = ""
			}
			ft := sf.Type
			if sf.Anonymous {
				if ft.Kind() == reflect.Pointer {
					if !sf.IsExported() {
						continue // encoding/json cannot allocate it
					}
					ft = ft.Elem()
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					walk(ft, depth+1, visiting)
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			f := field{typ: sf.Type, depth: depth, tagged: name != "", count: 1}
			if name == "" {
				name = sf.Name
			}
			old, ok := best[name]
			switch {
			case !ok || f.depth < old.depth || (f.depth == old.depth && f.tagged && !old.tagged):
				best[name] = f
			case f.depth == old.depth && f.tagged == old.tagged:
				old.count++
				best[name] = old
			}
		}
	}
	walk(t, 0, make(map[reflect.Type]bool))
	m := make(map[string]reflect.Type, len(best))
	for name, f := range best {
		if f.count == 1 {
			m[name] = f.typ
		}
	}
	fieldCache.Store(t, m)
	return m
}

// validTagName reports whether encoding/json accepts s as a field name in a
// tag (it falls back to the Go field name otherwise).
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
