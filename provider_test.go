package gpumarket

import (
	"testing"
)

func TestProviderStatusTransitions(t *testing.T) {
	allowed := map[[2]ProviderStatus]bool{
		{ProviderOffline, ProviderOnline}:    true,
		{ProviderOffline, ProviderBusy}:      true,
		{ProviderOffline, ProviderSuspended}: true,
		{ProviderOnline, ProviderBusy}:       true,
		{ProviderOnline, ProviderOffline}:    true,
		{ProviderOnline, ProviderSuspended}:  true,
		{ProviderBusy, ProviderOnline}:       true,
		{ProviderBusy, ProviderOffline}:      true,
		{ProviderBusy, ProviderSuspended}:    true,
		{ProviderSuspended, ProviderOffline}: true,
	}
	for from := ProviderOffline; from <= ProviderSuspended; from++ {
		for to := ProviderOffline; to <= ProviderSuspended; to++ {
			want := allowed[[2]ProviderStatus{from, to}]
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%v.CanMoveTo(%v) = %v, want %v", from, to, got, want)
			}
			if _, err := from.Transition(to); (err == nil) != want || (err != nil && ErrorCode(err) != EINVALID) {
				t.Errorf("%v.Transition(%v) = %v, want allowed=%v", from, to, err, want)
			}
		}
		if got, err := ParseProviderStatus(from.String()); err != nil || got != from {
			t.Errorf("ParseProviderStatus(%q) = %v, %v, want %v", from.String(), got, err, from)
		}
	}
	if _, err := ParseProviderStatus("asleep"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseProviderStatus(asleep) = %v, want %s", err, EINVALID)
	}
}

func TestProviderStatusText(t *testing.T) {
	for s := ProviderOffline; s <= ProviderSuspended; s++ {
		b, err := s.MarshalText()
		var back ProviderStatus
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("ProviderStatus(%v) text round trip = %q, %v, %v", s, b, err, back)
		}
	}
	if _, err := ProviderStatus(9).MarshalText(); ErrorCode(err) != EINVALID {
		t.Errorf("ProviderStatus(9).MarshalText() = %v, want %s", err, EINVALID)
	}
}
