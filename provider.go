package gpumarket

import "fmt"

// This file holds the provider status machine. The documents a provider
// signs live beside it, one subject a file: attestation.go (hardware,
// capabilities, prices offered), price.go (price units and costs),
// heartbeat.go (liveness); the job spec the matcher reads is in jobspec.go
// and the assignment the matcher signs in assignment.go.

// ProviderStatus is a provider's availability as the matcher sees it.
type ProviderStatus uint8

// The provider statuses. A newly registered provider is offline until its
// first valid heartbeat.
const (
	ProviderOffline   ProviderStatus = iota // no recent heartbeat
	ProviderOnline                          // recent heartbeat with free slots
	ProviderBusy                            // recent heartbeat, no free slots
	ProviderSuspended                       // by an operator or because it was flagged
)

var providerStatusNames = [...]string{"offline", "online", "busy", "suspended"}

// String returns the status's lower-case name.
func (s ProviderStatus) String() string {
	if int(s) < len(providerStatusNames) {
		return providerStatusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// ParseProviderStatus parses a name as printed by String. It returns an
// EINVALID error for an unknown name.
func ParseProviderStatus(s string) (ProviderStatus, error) {
	for i, name := range providerStatusNames {
		if name == s {
			return ProviderStatus(i), nil
		}
	}
	return 0, Errorf(EINVALID, "unknown provider status %q", s)
}

// MarshalText encodes the status by name.
func (s ProviderStatus) MarshalText() ([]byte, error) {
	if int(s) >= len(providerStatusNames) {
		return nil, Errorf(EINVALID, "%v is not a provider status", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses a status name; unknown names are EINVALID errors.
func (s *ProviderStatus) UnmarshalText(b []byte) error {
	v, err := ParseProviderStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// providerTransitions lists, for each status, where it may go next. Leaving
// suspended always goes through offline: a provider must heartbeat again
// before it is online.
var providerTransitions = map[ProviderStatus][]ProviderStatus{
	ProviderOffline:   {ProviderOnline, ProviderBusy, ProviderSuspended},
	ProviderOnline:    {ProviderBusy, ProviderOffline, ProviderSuspended},
	ProviderBusy:      {ProviderOnline, ProviderOffline, ProviderSuspended},
	ProviderSuspended: {ProviderOffline},
}

// CanMoveTo reports whether a provider in status s may move to next.
func (s ProviderStatus) CanMoveTo(next ProviderStatus) bool {
	for _, allowed := range providerTransitions[s] {
		if allowed == next {
			return true
		}
	}
	return false
}

// Transition returns next if s may move there, and an EINVALID error naming
// both statuses otherwise.
func (s ProviderStatus) Transition(next ProviderStatus) (ProviderStatus, error) {
	if !s.CanMoveTo(next) {
		return s, Errorf(EINVALID, "provider cannot move from %s to %s", s, next)
	}
	return next, nil
}
