package gpumarket

import (
	"bytes"
	"testing"
)

func TestHeartbeatValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(h *Heartbeat)
		field  string
	}{
		{"valid", func(h *Heartbeat) {}, ""},
		{"no queue depth", func(h *Heartbeat) { h.QueueDepth = nil }, ""},
		{"zero provider", func(h *Heartbeat) { h.Provider = Address{} }, "provider"},
		{"zero sequence", func(h *Heartbeat) { h.Sequence = 0 }, "sequence"},
		{"epoch timestamp", func(h *Heartbeat) { h.Timestamp = 0 }, "timestamp"},
		{"absurd slots", func(h *Heartbeat) { h.FreeSlots = MaxSlots + 1 }, "free_slots"},
		{"load over 100%", func(h *Heartbeat) { h.LoadBps = 10_001 }, "load_bps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := DecodeHeartbeat(bytes.NewReader(readProviderTestdata(t, "heartbeat.json")))
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(h)
			wantFieldError(t, "Heartbeat.Validate()", h.Validate(), tt.field)
		})
	}
}

func FuzzDecodeHeartbeat(f *testing.F) {
	f.Add(readProviderTestdata(f, "heartbeat.json"))
	f.Add([]byte(`{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1,"timestamp":1790000000}`))
	f.Add([]byte(`{"sequence":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeHeartbeat(bytes.NewReader(b))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("DecodeHeartbeat = %v, want nil or %s", err, EINVALID)
			}
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("decoded heartbeat fails Validate: %v", err)
		}
		jsonRoundTrip(t, h, func(r *bytes.Reader) (*Heartbeat, error) { return DecodeHeartbeat(r) })
	})
}
