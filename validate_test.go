package gpumarket

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// wantFieldError asserts err is nil when field is "", and otherwise an
// EINVALID error whose message starts with "field:".
func wantFieldError(tb testing.TB, call string, err error, field string) {
	tb.Helper()
	if field == "" {
		if err != nil {
			tb.Fatalf("%s = %v, want nil", call, err)
		}
		return
	}
	if ErrorCode(err) != EINVALID || !strings.HasPrefix(ErrorMessage(err), field+":") {
		tb.Fatalf("%s = %v, want %s error naming %q", call, err, EINVALID, field)
	}
}

func TestDecodeRejects(t *testing.T) {
	att := string(readProviderTestdata(t, "attestation.json"))
	tests := []struct {
		name string
		doc  string
		dec  func(string) error
	}{
		{"unknown field", strings.Replace(att, `"slots": 4`, `"slots": 4, "owner": "me"`, 1), decAtt},
		{"unknown nested field", strings.Replace(att, `"unit": "frame"`, `"unit": "frame", "currency": "usd"`, 1), decAtt},
		{"amount as number", strings.Replace(att, `"amount": "20000"`, `"amount": 20000`, 1), decAtt},
		{"amount with sign", strings.Replace(att, `"amount": "20000"`, `"amount": "+20000"`, 1), decAtt},
		{"kind as number", strings.Replace(att, `"kind": "llm"`, `"kind": 3`, 1), decAtt},
		{"short address", strings.Replace(att, `0x70997970c51812dc3a010c7d01b50e0d17dc79c8`, `0x7099`, 1), decAtt},
		{"trailing data", att + `{}`, decAtt},
		{"two documents", att + att, decAtt},
		{"not json", `gpu=4090`, decAtt},
		{"oversize", `{"gpu_model":"` + strings.Repeat("x", MaxAttestationBytes) + `"}`, decAtt},
		{"negative slots", strings.Replace(att, `"slots": 4`, `"slots": -4`, 1), decAtt},
		{"heartbeat oversize", `{"provider":"` + strings.Repeat(" ", MaxHeartbeatBytes) + `"}`, decHB},
		{"heartbeat unknown field", `{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1,"timestamp":1790000000,"cpu":1}`, decHB},
		{"heartbeat float", `{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1.5,"timestamp":1790000000}`, decHB},
		{"spec null", `null`, decSpec},
		{"spec unknown kind", strings.Replace(string(readProviderTestdata(t, "jobspec.json")), `"llm"`, `"video"`, 1), decSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.dec(tt.doc); ErrorCode(err) != EINVALID {
				t.Errorf("decode(%.60q) = %v, want %s", tt.doc, err, EINVALID)
			}
		})
	}
}

func decAtt(s string) error  { _, err := DecodeAttestation(strings.NewReader(s)); return err }
func decHB(s string) error   { _, err := DecodeHeartbeat(strings.NewReader(s)); return err }
func decSpec(s string) error { _, err := DecodeJobSpec(strings.NewReader(s)); return err }

// jsonRoundTrip checks that a decoded document re-encodes to JSON that decodes
// again, to a value with the same encoding (empty and absent lists encode
// alike, so values are compared by their encodings).
func jsonRoundTrip[T any](tb testing.TB, v *T, decode func(*bytes.Reader) (*T, error)) {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("Marshal(%+v) = %v", v, err)
	}
	again, err := decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("decode(Marshal(v)) = %v for %s", err, b)
	}
	b2, err := json.Marshal(again)
	if err != nil || !bytes.Equal(b, b2) {
		tb.Fatalf("Marshal(decode(Marshal(v))) = %s, %v, want %s", b2, err, b)
	}
}
