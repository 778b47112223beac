package gpumarket

import (
	"io"
)

// MaxHeartbeatBytes is the size limit of a heartbeat's JSON encoding,
// enforced by DecodeHeartbeat before any parsing.
const MaxHeartbeatBytes = 1 << 10

// MaxLoadBps is the largest load a heartbeat may report: saturated.
const MaxLoadBps = 10_000

// Heartbeat is a provider's signed liveness report. Sequence must increase
// strictly from one accepted heartbeat to the next (replay protection);
// Timestamp is unix seconds and must be close to the receiver's clock.
// LoadBps is the current load in basis points (0 idle, 10000 saturated).
// QueueDepth is optional (nil when the provider does not report it).
type Heartbeat struct {
	Provider   Address `json:"provider"`
	Sequence   uint64  `json:"sequence"`
	Timestamp  int64   `json:"timestamp"`
	FreeSlots  uint32  `json:"free_slots"`
	LoadBps    uint32  `json:"load_bps"`
	QueueDepth *uint32 `json:"queue_depth,omitempty"`
}

// Validate returns an EINVALID error naming the first invalid field.
func (h *Heartbeat) Validate() error {
	switch {
	case h.Provider.IsZero():
		return invalidField("provider", "is the zero address")
	case h.Sequence == 0:
		return invalidField("sequence", "must be at least 1")
	case h.Timestamp < minAttestationTimestamp:
		return invalidField("timestamp", "%d is not a plausible unix time", h.Timestamp)
	case h.FreeSlots > MaxSlots:
		return invalidField("free_slots", "%d exceeds %d", h.FreeSlots, MaxSlots)
	case h.LoadBps > MaxLoadBps:
		return invalidField("load_bps", "%d exceeds %d", h.LoadBps, MaxLoadBps)
	}
	return nil
}

// DecodeHeartbeat reads one JSON heartbeat from r strictly: at most
// MaxHeartbeatBytes, decoded by DecodeStrict (no unknown or duplicate
// fields, no trailing data), and valid per Heartbeat.Validate.
// Every failure is an EINVALID error.
func DecodeHeartbeat(r io.Reader) (*Heartbeat, error) {
	return decodeValid[Heartbeat](r, MaxHeartbeatBytes, "heartbeat")
}
