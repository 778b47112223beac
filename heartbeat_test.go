package gpumarket

import (
	"testing"
)

func TestHeartbeatValidate(t *testing.T) {
	testValidate(t, "Heartbeat.Validate()", "heartbeat.json", DecodeHeartbeat, []validateCase[Heartbeat]{
		{"valid", func(h *Heartbeat) {}, ""},
		{"no queue depth", func(h *Heartbeat) { h.QueueDepth = nil }, ""},
		{"zero provider", func(h *Heartbeat) { h.Provider = Address{} }, "provider"},
		{"zero sequence", func(h *Heartbeat) { h.Sequence = 0 }, "sequence"},
		{"epoch timestamp", func(h *Heartbeat) { h.Timestamp = 0 }, "timestamp"},
		{"absurd slots", func(h *Heartbeat) { h.FreeSlots = MaxSlots + 1 }, "free_slots"},
		{"load over 100%", func(h *Heartbeat) { h.LoadBps = 10_001 }, "load_bps"},
	})
}

func FuzzDecodeHeartbeat(f *testing.F) {
	f.Add(readProviderTestdata(f, "heartbeat.json"))
	f.Add([]byte(`{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1,"timestamp":1790000000}`))
	f.Add([]byte(`{"sequence":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, b, "DecodeHeartbeat", "heartbeat", DecodeHeartbeat) })
}
