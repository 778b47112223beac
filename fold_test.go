package gpumarket

import (
	"math/big"
	"testing"
)

func newJobCreated(id JobID) *JobCreated {
	return &JobCreated{Job: Job{ID: id, Client: Address{1}, Token: Address{2}, MaxPayment: big.NewInt(1000), State: JobStateOpen,
		Price: new(big.Int), AmountDue: new(big.Int)}, SpecURI: "ipfs://x"}
}

func TestJobRecordApply(t *testing.T) {
	p := Payout{ProtocolFee: big.NewInt(10), CreatorAmount: big.NewInt(0), ProviderAmount: big.NewInt(790), ClientRefund: big.NewInt(200)}
	accepted := &JobAccepted{ID: 1, Provider: Address{9}, Price: big.NewInt(900), Matcher: Address{8}}
	submitted := &ResultSubmitted{ID: 1, AmountDue: big.NewInt(800), ChallengeEnd: 500, ResultHash: Hash{7}}
	tests := []struct {
		name    string
		events  []JobEvent
		want    JobState
		wantErr bool
	}{
		{"happy path", []JobEvent{newJobCreated(1), accepted, submitted, &JobSettled{ID: 1, Payout: p}}, JobStateSettled, false},
		{"dispute resolved", []JobEvent{newJobCreated(1), accepted, submitted, &JobDisputed{ID: 1, DisputedAt: 400}, &JobDisputeResolved{ID: 1, Payout: p, ProviderPaid: big.NewInt(500), Slashed: big.NewInt(3)}}, JobStateSettled, false},
		{"cancelled", []JobEvent{newJobCreated(1), &JobCancelled{ID: 1, Refund: big.NewInt(1000)}}, JobStateCancelled, false},
		{"refunded open", []JobEvent{newJobCreated(1), &JobRefunded{ID: 1, Refund: big.NewInt(1000)}}, JobStateRefunded, false},
		{"refunded after accept", []JobEvent{newJobCreated(1), accepted, &JobRefunded{ID: 1, Refund: big.NewInt(1000), Slashed: big.NewInt(50)}}, JobStateRefunded, false},
		{"event before creation", []JobEvent{accepted}, JobStateNone, true},
		{"created twice", []JobEvent{newJobCreated(1), newJobCreated(1)}, JobStateOpen, true},
		{"settle an open job", []JobEvent{newJobCreated(1), &JobSettled{ID: 1, Payout: p}}, JobStateOpen, true},
		{"cancel after accept", []JobEvent{newJobCreated(1), accepted, &JobCancelled{ID: 1}}, JobStateAssigned, true},
		{"dispute twice", []JobEvent{newJobCreated(1), accepted, submitted, &JobDisputed{ID: 1}, &JobDisputed{ID: 1}}, JobStateDisputed, true},
		{"anything after settlement", []JobEvent{newJobCreated(1), accepted, submitted, &JobSettled{ID: 1, Payout: p}, &JobRefunded{ID: 1}}, JobStateSettled, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r JobRecord
			var err error
			for i, ev := range tt.events {
				if err = r.Apply(ev, uint64(10+i), uint64(1000+i)); err != nil {
					break
				}
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("Apply error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("Apply error code = %q, want %q", ErrorCode(err), EINVALID)
			}
			if r.State != tt.want {
				t.Errorf("state = %v, want %v", r.State, tt.want)
			}
		})
	}
}

func TestJobRecordFields(t *testing.T) {
	var r JobRecord
	events := []JobEvent{
		newJobCreated(4),
		&JobAccepted{ID: 4, Provider: Address{9}, Price: big.NewInt(900), Signer: Address{5}},
		&ResultSubmitted{ID: 4, AmountDue: big.NewInt(800), ChallengeEnd: 77, ResultURI: "https://p/r", Usage: Usage{Units1: 3, Units2: 4}},
		&JobSettled{ID: 4, SettledBy: Address{1}, Payout: Payout{ProviderAmount: big.NewInt(780)}},
	}
	for i, ev := range events {
		if err := r.Apply(ev, uint64(20+i), uint64(100*(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if r.Provider != (Address{9}) || r.Price.Int64() != 900 || r.AmountDue.Int64() != 800 || r.ChallengeEnd != 77 ||
		r.ResultURI != "https://p/r" || r.Usage != (Usage{3, 4}) || r.ProviderPaid.Int64() != 780 || r.ClosedBy != (Address{1}) {
		t.Fatalf("record fields = %+v", r)
	}
	if r.CreatedAt != 100 || r.AssignedAt != 200 || r.SubmittedAt != 300 || r.SettledAt != 400 || r.LastBlock != 23 {
		t.Fatalf("timestamps = created %d assigned %d submitted %d settled %d last block %d", r.CreatedAt, r.AssignedAt, r.SubmittedAt, r.SettledAt, r.LastBlock)
	}
}

func TestProviderRecordApply(t *testing.T) {
	p := Address{3}
	var r ProviderRecord
	steps := []ProviderEvent{
		&StakeChanged{Name: "Staked", Provider: p, Amount: big.NewInt(100), Stake: big.NewInt(100)},
		&ProviderRegistered{Provider: p, Signer: Address{4}, AttestationHash: Hash{1}, AttestationExpiry: 99},
		&StakeChanged{Name: "UnstakeRequested", Provider: p, Amount: big.NewInt(40), Stake: big.NewInt(60), Unbonding: big.NewInt(40), ReadyAt: 500},
		&ProviderSlashed{Provider: p, Slashed: big.NewInt(10), Stake: big.NewInt(50), Unbonding: big.NewInt(40)},
		&StakeChanged{Name: "StakeWithdrawn", Provider: p, Amount: big.NewInt(40)},
		&ProviderActivation{Provider: p, Active: false},
		&ProviderRegistered{Provider: p, Signer: Address{6}, AttestationHash: Hash{2}, Update: true},
	}
	for i, ev := range steps {
		if err := r.Apply(ev, uint64(i+1), 0); err != nil {
			t.Fatalf("step %d (%s): %v", i, ev.EventName(), err)
		}
	}
	if r.Stake.Int64() != 50 || r.Unbonding.Int64() != 0 || r.SlashedTotal.Int64() != 10 || r.Active || !r.Registered || r.Signer != (Address{6}) || r.AttestationHash != (Hash{2}) {
		t.Fatalf("provider record = %+v", r)
	}
	if err := r.Apply(&StakeChanged{Name: "StakeWithdrawn", Provider: p, Amount: big.NewInt(1)}, 9, 0); ErrorCode(err) != EINVALID {
		t.Fatalf("withdrawing more than unbonding: err = %v, want %s", err, EINVALID)
	}
	if err := r.Apply(&ProviderRegistered{Provider: p}, 10, 0); ErrorCode(err) != EINVALID {
		t.Fatalf("registering twice: err = %v, want %s", err, EINVALID)
	}
	var fresh ProviderRecord
	if err := fresh.Apply(&ProviderActivation{Provider: p, Active: true}, 1, 0); ErrorCode(err) != EINVALID {
		t.Fatalf("activation before registration: err = %v, want %s", err, EINVALID)
	}
}

// TestProviderRecordStakeWithdrawn pins the registry's withdrawStake effect:
// the unbonding amount and its ready time both go to zero (the registry's
// getter then reads unbondingReadyAt 0).
func TestProviderRecordStakeWithdrawn(t *testing.T) {
	p := Address{1}
	r := &ProviderRecord{}
	steps := []ProviderEvent{
		&ProviderRegistered{Provider: p, Signer: Address{2}},
		&StakeChanged{Name: "Staked", Provider: p, Amount: big.NewInt(10), Stake: big.NewInt(10)},
		&StakeChanged{Name: "UnstakeRequested", Provider: p, Amount: big.NewInt(4), Stake: big.NewInt(6), Unbonding: big.NewInt(4), ReadyAt: 99},
		&StakeChanged{Name: "StakeWithdrawn", Provider: p, Amount: big.NewInt(4)},
	}
	for i, ev := range steps {
		if err := r.Apply(ev, uint64(i+1), 0); err != nil {
			t.Fatalf("Apply(%s) = %v", ev.EventName(), err)
		}
	}
	if r.Stake.Int64() != 6 || r.Unbonding.Sign() != 0 || r.UnbondingReadyAt != 0 {
		t.Fatalf("after StakeWithdrawn: stake %v unbonding %v readyAt %d, want 6, 0, 0", r.Stake, r.Unbonding, r.UnbondingReadyAt)
	}
}
