package gpumarket

import "testing"

func TestTxStateMachine(t *testing.T) {
	tests := []struct {
		from, to TxState
		want     bool
	}{
		{TxPlanned, TxSigned, true},
		{TxPlanned, TxSkipped, true},
		{TxPlanned, TxBroadcast, false}, // never broadcast what was not stored signed
		{TxSigned, TxBroadcast, true},
		{TxSigned, TxMined, true}, // receipt found before the send was acknowledged
		{TxSigned, TxPlanned, false},
		{TxSigned, TxSkipped, false}, // a nonce is held: it must be filled, not skipped
		{TxBroadcast, TxMined, true},
		{TxBroadcast, TxConfirmed, false}, // only through mined, at depth
		{TxMined, TxBroadcast, true},      // reorg
		{TxMined, TxConfirmed, true},
		{TxMined, TxReplaced, true},
		{TxMined, TxFailed, true},
		{TxConfirmed, TxBroadcast, false},
		{TxSkipped, TxSigned, false},
		{TxReplaced, TxMined, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"→"+string(tt.to), func(t *testing.T) {
			if got := tt.from.CanTransition(tt.to); got != tt.want {
				t.Errorf("%s.CanTransition(%s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	for _, s := range TxStates() {
		if !s.Valid() {
			t.Errorf("%s.Valid() = false", s)
		}
		if s.Final() && (s.InFlight() || len(txTransitions[s]) > 0) {
			t.Errorf("final state %s is in flight or has transitions", s)
		}
	}
	if TxState("pending").Valid() {
		t.Error(`TxState("pending").Valid() = true`)
	}
}
