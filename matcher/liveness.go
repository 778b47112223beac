package matcher

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/gpumarket/gpumarket"
)

// LivenessParams configure the liveness machine.
type LivenessParams struct {
	// Interval is how often providers are expected to heartbeat.
	Interval time.Duration
	// MissedBeforeOffline is how many intervals without an accepted
	// heartbeat make a provider offline.
	MissedBeforeOffline int
	// MaxAge rejects heartbeats whose timestamp is older than this at
	// receipt (stale or delayed replays).
	MaxAge time.Duration
	// MaxSkew rejects heartbeats whose timestamp is further than this in the
	// future.
	MaxSkew time.Duration
}

// DefaultLivenessParams: heartbeat every 30 s, offline after 3 missed,
// heartbeats older than 60 s or more than 10 s ahead rejected.
func DefaultLivenessParams() LivenessParams {
	return LivenessParams{Interval: 30 * time.Second, MissedBeforeOffline: 3, MaxAge: time.Minute, MaxSkew: 10 * time.Second}
}

// Validate returns an EINVALID error naming the field when p is unusable.
func (p *LivenessParams) Validate() error {
	switch {
	case p.Interval < time.Second:
		return gpumarket.Errorf(gpumarket.EINVALID, "interval: %v is below 1s", p.Interval)
	case p.MissedBeforeOffline < 1:
		return gpumarket.Errorf(gpumarket.EINVALID, "missed_before_offline: must be at least 1")
	case p.MaxAge < time.Second:
		return gpumarket.Errorf(gpumarket.EINVALID, "max_age: %v is below 1s", p.MaxAge)
	case p.MaxSkew < 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "max_skew: must not be negative")
	}
	return nil
}

// Transition is one recorded change of a provider's status.
type Transition struct {
	Provider gpumarket.Address        `json:"provider"`
	From     gpumarket.ProviderStatus `json:"from"`
	To       gpumarket.ProviderStatus `json:"to"`
	At       time.Time                `json:"at"`
	Reason   string                   `json:"reason"`
}

// ProviderState is what the liveness machine knows about one provider.
type ProviderState struct {
	Status        gpumarket.ProviderStatus
	LastHeartbeat time.Time // receipt time of the last accepted heartbeat (zero if none)
	Sequence      uint64    // of the last accepted heartbeat
	FreeSlots     uint32
	LoadBps       uint32
	QueueDepth    *uint32
	Fingerprint   gpumarket.Hash // hardware fingerprint of its current attestation
	Flag          string         // why it is suspended
}

// Liveness is the provider liveness state machine. Heartbeats move a
// provider between online (free slots) and busy (none); missing heartbeats
// for MissedBeforeOffline intervals make it offline; an operator, or a
// hardware fingerprint shared with another provider, suspends it, and only
// an operator reinstates it (to offline: it must heartbeat again). Every
// move follows gpumarket.ProviderStatus.CanMoveTo and is returned as a
// Transition for the caller to record. Heartbeat signatures are checked by
// the caller (internal/eth/eip712.VerifyHeartbeat) before Heartbeat is called.
// Liveness is not safe for concurrent use; its owner serialises calls.
type Liveness struct {
	p      LivenessParams
	now    func() time.Time
	states map[gpumarket.Address]*ProviderState
	byFP   map[gpumarket.Hash]map[gpumarket.Address]bool
}

// NewLiveness returns an empty machine. It returns an EINVALID error for
// invalid params or a nil clock.
func NewLiveness(p LivenessParams, now func() time.Time) (*Liveness, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("new liveness: %w", err)
	}
	if now == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new liveness: no clock")
	}
	return &Liveness{p: p, now: now, states: map[gpumarket.Address]*ProviderState{}, byFP: map[gpumarket.Hash]map[gpumarket.Address]bool{}}, nil
}

// Register adds a provider (registered on-chain) as offline. Registering a
// known provider changes nothing.
func (l *Liveness) Register(p gpumarket.Address) {
	if _, ok := l.states[p]; !ok {
		l.states[p] = &ProviderState{Status: gpumarket.ProviderOffline}
	}
}

// State returns a copy of the provider's state, and false if it is unknown.
func (l *Liveness) State(p gpumarket.Address) (ProviderState, bool) {
	s, ok := l.states[p]
	if !ok {
		return ProviderState{}, false
	}
	return *s, true
}

func (l *Liveness) move(p gpumarket.Address, s *ProviderState, to gpumarket.ProviderStatus, reason string) (*Transition, error) {
	if s.Status == to {
		return nil, nil
	}
	if _, err := s.Status.Transition(to); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINTERNAL, "liveness of %s: %s", p, gpumarket.ErrorMessage(err))
	}
	t := &Transition{Provider: p, From: s.Status, To: to, At: l.now(), Reason: reason}
	s.Status = to
	return t, nil
}

// Heartbeat applies a heartbeat whose signature the caller verified. It
// returns the resulting transition (nil if the status did not change). It
// rejects, changing nothing, with ENOTFOUND for an unknown provider,
// EINVALID for an invalid heartbeat, and EUNAUTHORIZED for a replay
// (sequence not above the last accepted one), a stale heartbeat (timestamp
// older than MaxAge) or one from the future (beyond MaxSkew). A suspended
// provider's heartbeats are recorded but it stays suspended.
func (l *Liveness) Heartbeat(h *gpumarket.Heartbeat) (*Transition, error) {
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("heartbeat: %w", err)
	}
	s, ok := l.states[h.Provider]
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "heartbeat: provider %s is not registered", h.Provider)
	}
	now := l.now()
	ts := time.Unix(h.Timestamp, 0)
	switch {
	case h.Sequence <= s.Sequence:
		return nil, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat of %s: sequence %d replayed (last accepted %d)", h.Provider, h.Sequence, s.Sequence)
	case now.Sub(ts) > l.p.MaxAge:
		return nil, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat of %s: timestamp %d is stale (older than %v)", h.Provider, h.Timestamp, l.p.MaxAge)
	case ts.Sub(now) > l.p.MaxSkew:
		return nil, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat of %s: timestamp %d is more than %v in the future", h.Provider, h.Timestamp, l.p.MaxSkew)
	}
	s.Sequence, s.LastHeartbeat, s.FreeSlots, s.LoadBps = h.Sequence, now, h.FreeSlots, h.LoadBps
	s.QueueDepth = nil
	if h.QueueDepth != nil {
		d := *h.QueueDepth
		s.QueueDepth = &d
	}
	if s.Status == gpumarket.ProviderSuspended {
		return nil, nil
	}
	to, reason := gpumarket.ProviderOnline, "heartbeat with free slots"
	if h.FreeSlots == 0 {
		to, reason = gpumarket.ProviderBusy, "heartbeat without free slots"
	}
	return l.move(h.Provider, s, to, reason)
}

// Tick makes offline every online or busy provider whose last accepted
// heartbeat is MissedBeforeOffline intervals old or older, and returns the
// transitions in provider address order.
func (l *Liveness) Tick() []Transition {
	now := l.now()
	limit := time.Duration(l.p.MissedBeforeOffline) * l.p.Interval
	var out []Transition
	for _, p := range l.sorted() {
		s := l.states[p]
		if (s.Status == gpumarket.ProviderOnline || s.Status == gpumarket.ProviderBusy) && now.Sub(s.LastHeartbeat) >= limit {
			if t, err := l.move(p, s, gpumarket.ProviderOffline, fmt.Sprintf("no heartbeat for %v", now.Sub(s.LastHeartbeat))); err == nil && t != nil {
				out = append(out, *t)
			}
		}
	}
	return out
}

func (l *Liveness) sorted() []gpumarket.Address {
	ps := make([]gpumarket.Address, 0, len(l.states))
	for p := range l.states {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return bytes.Compare(ps[i][:], ps[j][:]) < 0 })
	return ps
}

// Suspend suspends a provider (by an operator, with a reason). It returns
// ENOTFOUND for an unknown provider and ECONFLICT if it is already
// suspended.
func (l *Liveness) Suspend(p gpumarket.Address, reason string) (Transition, error) {
	s, ok := l.states[p]
	if !ok {
		return Transition{}, gpumarket.Errorf(gpumarket.ENOTFOUND, "suspend: provider %s is not registered", p)
	}
	if s.Status == gpumarket.ProviderSuspended {
		return Transition{}, gpumarket.Errorf(gpumarket.ECONFLICT, "suspend: provider %s is already suspended (%s)", p, s.Flag)
	}
	t, err := l.move(p, s, gpumarket.ProviderSuspended, reason)
	if err != nil {
		return Transition{}, err
	}
	s.Flag = reason
	return *t, nil
}

// Reinstate lifts a suspension; the provider becomes offline until its next
// heartbeat. It returns ENOTFOUND for an unknown provider and ECONFLICT if it
// is not suspended.
func (l *Liveness) Reinstate(p gpumarket.Address, reason string) (Transition, error) {
	s, ok := l.states[p]
	if !ok {
		return Transition{}, gpumarket.Errorf(gpumarket.ENOTFOUND, "reinstate: provider %s is not registered", p)
	}
	if s.Status != gpumarket.ProviderSuspended {
		return Transition{}, gpumarket.Errorf(gpumarket.ECONFLICT, "reinstate: provider %s is %s, not suspended", p, s.Status)
	}
	t, err := l.move(p, s, gpumarket.ProviderOffline, reason)
	if err != nil {
		return Transition{}, err
	}
	s.Flag = ""
	return *t, nil
}

// Attest records the hardware fingerprint of a provider's newly accepted
// attestation (internal/eth/eip712.HardwareFingerprint, bound to the signer key).
// If another provider holds the same fingerprint, every holder that is not
// yet suspended is suspended and flagged; the transitions are returned in
// address order. It returns ENOTFOUND for an unknown provider.
func (l *Liveness) Attest(p gpumarket.Address, fp gpumarket.Hash) ([]Transition, error) {
	s, ok := l.states[p]
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "attest: provider %s is not registered", p)
	}
	if old := s.Fingerprint; !old.IsZero() && old != fp {
		delete(l.byFP[old], p)
		if len(l.byFP[old]) == 0 {
			delete(l.byFP, old)
		}
	}
	s.Fingerprint = fp
	holders := l.byFP[fp]
	if holders == nil {
		holders = map[gpumarket.Address]bool{}
		l.byFP[fp] = holders
	}
	holders[p] = true
	if len(holders) < 2 {
		return nil, nil
	}
	var ps []gpumarket.Address
	for h := range holders {
		ps = append(ps, h)
	}
	sort.Slice(ps, func(i, j int) bool { return bytes.Compare(ps[i][:], ps[j][:]) < 0 })
	var out []Transition
	for _, h := range ps {
		hs := l.states[h]
		if hs.Status == gpumarket.ProviderSuspended {
			continue
		}
		reason := fmt.Sprintf("hardware fingerprint %s is shared by %d providers", fp, len(ps))
		t, err := l.move(h, hs, gpumarket.ProviderSuspended, reason)
		if err != nil {
			return out, err
		}
		hs.Flag = reason
		out = append(out, *t)
	}
	return out, nil
}
