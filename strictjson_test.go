package gpumarket

import (
	"bytes"
	"encoding/json"
	"io"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

type strictInner struct {
	Name string `json:"name"`
	N    *int   `json:"n,omitempty"`
}

type strictEmbedded struct {
	Region string `json:"region"`
}

// strictDoc has one field of each shape UnmarshalStrict follows.
type strictDoc struct {
	strictEmbedded
	Kind    JobKind           `json:"kind"`
	Count   int               `json:"count"`
	Inner   strictInner       `json:"inner"`
	List    []strictInner     `json:"list"`
	Labels  map[string]string `json:"labels"`
	Price   *Price            `json:"price"`
	Raw     json.RawMessage   `json:"raw,omitempty"`
	Any     any               `json:"any"`
	Skipped string            `json:"-"`
	Plain   bool
}

// strictCases are the table of TestUnmarshalStrict and the seeds of
// FuzzUnmarshalStrict.
var strictCases = []struct {
	name string
	in   string
	want string // substring of the error message; "" means accepted
}{
	{"full document", `{"region":"eu","kind":"llm","count":2,"inner":{"name":"a","n":1},"list":[{"name":"b"}],` +
		`"labels":{"A":"1","a":"2"},"price":{"unit":"frame","amount":"7"},"raw":{"x":[1]},"any":{"k":[true,null]},"Plain":true}`, ""},
	{"empty object", `{}`, ""},
	{"white space around", " \n{}\t ", ""},
	{"null nested values", `{"inner":null,"list":null,"price":null,"any":null}`, ""},

	{"empty", ``, "input is empty"},
	{"only white space", "  \n", "input is empty"},
	{"not JSON", `gpu=4090`, "malformed JSON at byte 1"},
	{"truncated", `{"count":1`, "malformed JSON"},
	{"truncated key", `{"count`, "malformed JSON"},
	{"key not a string", `{1:2}`, "malformed JSON"},
	{"array", `[]`, "not a JSON object"},
	{"null", `null`, "not a JSON object"},
	{"string", `"x"`, "not a JSON object"},
	{"second value", `{"count":1} {}`, "trailing data after the value"},
	{"trailing garbage", `{"count":1}x`, "trailing data after the value"},
	{"invalid UTF-8", "{\"inner\":{\"name\":\"\xff\"}}", "not valid UTF-8"},

	{"unknown field", `{"extra":1}`, `unknown field "extra"`},
	{"field in another case", `{"Count":1}`, `unknown field "Count"`},
	{"field in upper case", `{"COUNT":1}`, `unknown field "COUNT"`},
	{"untagged field in lower case", `{"plain":true}`, `unknown field "plain"`},
	{"skipped field", `{"Skipped":"x"}`, `unknown field "Skipped"`},
	{"dash field", `{"-":"x"}`, `unknown field "-"`},
	{"embedded struct by name", `{"strictEmbedded":{}}`, `unknown field "strictEmbedded"`},
	{"unknown nested field", `{"inner":{"name":"a","x":1}}`, `unknown field "x" in inner`},
	{"case in a list element", `{"list":[{"name":"a"},{"Name":"b"}]}`, `unknown field "Name" in list[1]`},
	{"unknown field in a value's own decoder", `{"price":{"unit":"frame","amount":"1","Amount":"2"}}`, `unknown field "Amount"`},

	{"duplicate field", `{"count":1,"count":2}`, `duplicate field "count"`},
	{"duplicate nested field", `{"inner":{"name":"a","name":"b"}}`, `duplicate field "name" in inner`},
	{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`, `duplicate field "a" in labels`},
	{"duplicate in raw JSON", `{"raw":{"x":1,"x":2}}`, `duplicate field "x" in raw`},
	{"duplicate deep in any", `{"any":{"k":[{"z":1,"z":1}]}}`, `duplicate field "z" in any.k[0]`},
	{"duplicate in a value's own decoder", `{"price":{"unit":"frame","unit":"frame","amount":"1"}}`, `duplicate field "unit" in price`},

	{"wrong type", `{"count":"1"}`, `malformed JSON: field "count": want int, got JSON string`},
	{"fraction for an int", `{"count":1.5}`, `field "count"`},
	{"number too large", `{"count":1e400}`, `field "count"`},
	{"wrong type in a value's own decoder", `{"price":{"unit":"frame","amount":1}}`, `malformed JSON: field "amount"`},
	{"nested domain error passes through", `{"kind":"video"}`, `unknown job kind "video"`},
	{"bad amount passes through", `{"price":{"unit":"frame","amount":"-1"}}`, `amount "-1"`},
}

func TestUnmarshalStrict(t *testing.T) {
	for _, tt := range strictCases {
		t.Run(tt.name, func(t *testing.T) {
			var d strictDoc
			err := UnmarshalStrict([]byte(tt.in), &d)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("UnmarshalStrict(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("UnmarshalStrict(%q) = %v, want %s error containing %q", tt.in, err, EINVALID, tt.want)
			}
		})
	}
}

func TestUnmarshalStrictValue(t *testing.T) {
	var d strictDoc
	in := strictCases[0].in
	if err := UnmarshalStrict([]byte(in), &d); err != nil {
		t.Fatalf("UnmarshalStrict = %v", err)
	}
	one := 1
	want := strictDoc{
		strictEmbedded: strictEmbedded{Region: "eu"},
		Kind:           JobKindLLM,
		Count:          2,
		Inner:          strictInner{Name: "a", N: &one},
		List:           []strictInner{{Name: "b"}},
		Labels:         map[string]string{"A": "1", "a": "2"},
		Price:          &Price{Unit: UnitFrame, Amount: big.NewInt(7)},
		Raw:            json.RawMessage(`{"x":[1]}`),
		Any:            map[string]any{"k": []any{true, nil}},
		Plain:          true,
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("UnmarshalStrict(%s) = %+v, want %+v", in, d, want)
	}
}

func TestUnmarshalStrictTargets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		v    any
		want string // "" means accepted
	}{
		{"array into a slice", `[{"name":"a"}]`, new([]strictInner), ""},
		{"case in a slice element", `[{"NAME":"a"}]`, new([]strictInner), `unknown field "NAME" in [0]`},
		{"map at the top", `{"a":1}`, new(map[string]int), ""},
		{"array into a map", `[1]`, new(map[string]int), "not a JSON object"},
		{"scalar into any", `7`, new(any), ""},
		{"duplicate into any", `{"a":1,"a":1}`, new(any), `duplicate field "a"`},
		{"pointer to a pointer", `{"name":"a"}`, new(*strictInner), ""},
		{"unmarshaler at the top", `{"unit":"frame","amount":"1"}`, new(Price), ""},
		{"unmarshaler at the top checks itself", `{"unit":"frame","amount":"1","x":0}`, new(Price), `unknown field "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := UnmarshalStrict([]byte(tt.in), tt.v)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("UnmarshalStrict(%q, %T) = %v, want nil", tt.in, tt.v, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("UnmarshalStrict(%q, %T) = %v, want %s error containing %q", tt.in, tt.v, err, EINVALID, tt.want)
			}
		})
	}
	if err := UnmarshalStrict([]byte(`{}`), strictDoc{}); ErrorCode(err) != EINTERNAL {
		t.Errorf("UnmarshalStrict into a non-pointer = %v, want %s", err, EINTERNAL)
	}
}

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int64
		want  string // substring of err.Error(); "" means accepted
	}{
		{"at the limit", `{"count":1}`, 11, ""},
		{"over the limit", `{"count":1} `, 11, "doc is larger than 11 bytes"},
		{"decode error names the input", `{"Count":1}`, 100, `decode doc: invalid: unknown field "Count"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d strictDoc
			err := DecodeStrict(strings.NewReader(tt.in), tt.limit, "doc", &d)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("DecodeStrict(%q, %d) = %v, want nil", tt.in, tt.limit, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("DecodeStrict(%q, %d) = %v, want %s error containing %q", tt.in, tt.limit, err, EINVALID, tt.want)
			}
		})
	}
}

// FuzzUnmarshalStrict checks that the strict decoder accepts a subset of
// what encoding/json accepts, decodes it to the same value, and accepts
// everything encoding/json writes.
func FuzzUnmarshalStrict(f *testing.F) {
	for _, tt := range strictCases {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d strictDoc
		err := UnmarshalStrict(b, &d)
		if err != nil && ErrorCode(err) != EINVALID {
			t.Fatalf("UnmarshalStrict(%q) = %v, want nil or %s", b, err, EINVALID)
		}
		if err == nil {
			var lax strictDoc
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&lax); err != nil {
				t.Fatalf("UnmarshalStrict accepted %q, which encoding/json refuses: %v", b, err)
			}
			if !reflect.DeepEqual(d, lax) {
				t.Fatalf("UnmarshalStrict(%q) = %+v, encoding/json %+v", b, d, lax)
			}
			enc, err := json.Marshal(d)
			if err != nil {
				t.Fatalf("Marshal(%+v) = %v", d, err)
			}
			var again strictDoc
			if err := UnmarshalStrict(enc, &again); err != nil {
				t.Fatalf("UnmarshalStrict(Marshal(%q)) = %v for %s", b, err, enc)
			}
		}

		var v any
		strictErr := UnmarshalStrict(b, &v)
		if json.Unmarshal(b, new(any)) != nil {
			if strictErr == nil {
				t.Fatalf("UnmarshalStrict(%q, any) accepted what encoding/json refuses", b)
			}
			return
		}
		var lax any
		_ = json.Unmarshal(b, &lax)
		if strictErr == nil && !reflect.DeepEqual(v, lax) {
			t.Fatalf("UnmarshalStrict(%q, any) = %#v, encoding/json %#v", b, v, lax)
		}
		enc, err := json.Marshal(lax)
		if err != nil {
			t.Fatalf("Marshal(%#v) = %v", lax, err)
		}
		if err := UnmarshalStrict(enc, new(any)); err != nil {
			t.Fatalf("UnmarshalStrict(%s) = %v, want nil for what encoding/json writes", enc, err)
		}
	})
}

// The documents decoded by decodeValid (attestations, heartbeats, job specs)
// share their tests' shape: a valid sample from testdata mutated one field
// at a time, and a fuzz target.

// decodeTestdata decodes testdata/name with decode, failing tb if it does not
// decode.
func decodeTestdata[T any](tb testing.TB, name string, decode func(io.Reader) (*T, error)) *T {
	tb.Helper()
	v, err := decode(bytes.NewReader(readProviderTestdata(tb, name)))
	if err != nil {
		tb.Fatalf("decode testdata/%s = %v", name, err)
	}
	return v
}

// validateCase mutates a valid sample; field is the field Validate must
// then name ("" means still valid).
type validateCase[T any] struct {
	name   string
	mutate func(v *T)
	field  string
}

// testValidate runs each case on a fresh sample, testdata/fixture decoded
// with decode, and checks call, its Validate, with wantFieldError.
func testValidate[T any, P interface {
	*T
	Validate() error
}](t *testing.T, call, fixture string, decode func(io.Reader) (*T, error), tests []validateCase[T]) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := decodeTestdata(t, fixture, decode)
			tt.mutate(v)
			wantFieldError(t, call, P(v).Validate(), tt.field)
		})
	}
}

// fuzzDecode checks decode (named name) on input b: it fails with EINVALID
// or returns a document (what) that validates and survives a JSON round trip.
func fuzzDecode[T any, P interface {
	*T
	Validate() error
}](t *testing.T, b []byte, name, what string, decode func(io.Reader) (*T, error)) {
	t.Helper()
	v, err := decode(bytes.NewReader(b))
	if err != nil {
		if ErrorCode(err) != EINVALID {
			t.Fatalf("%s = %v, want nil or %s", name, err, EINVALID)
		}
		return
	}
	if err := P(v).Validate(); err != nil {
		t.Fatalf("decoded %s fails Validate: %v", what, err)
	}
	jsonRoundTrip(t, v, func(r *bytes.Reader) (*T, error) { return decode(r) })
}
