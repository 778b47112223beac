package gpumarket

import "testing"

func TestJobStateTransitions(t *testing.T) {
	allowed := map[[2]JobState]bool{
		{JobStateNone, JobStateOpen}:          true,
		{JobStateOpen, JobStateAssigned}:      true,
		{JobStateOpen, JobStateCancelled}:     true,
		{JobStateOpen, JobStateRefunded}:      true,
		{JobStateAssigned, JobStateSubmitted}: true,
		{JobStateAssigned, JobStateRefunded}:  true,
		{JobStateSubmitted, JobStateSettled}:  true,
		{JobStateSubmitted, JobStateDisputed}: true,
		{JobStateDisputed, JobStateSettled}:   true,
	}
	// Every pair of states: exactly the listed ones are allowed, nothing ever
	// moves backwards into None, and terminal states have no way out.
	for from := JobStateNone; from <= JobStateCancelled; from++ {
		for to := JobStateNone; to <= JobStateCancelled; to++ {
			want := allowed[[2]JobState{from, to}]
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%v.CanMoveTo(%v) = %v, want %v", from, to, got, want)
			}
			_, err := from.Transition(to)
			if (err == nil) != want {
				t.Errorf("%v.Transition(%v) error = %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("%v.Transition(%v) code = %q, want %q", from, to, ErrorCode(err), EINVALID)
			}
			if from.Terminal() && want {
				t.Errorf("terminal state %v may move to %v", from, to)
			}
		}
	}
}

func TestParseJobKindAndState(t *testing.T) {
	for k := JobKindRender; k <= JobKindLLM; k++ {
		got, err := ParseJobKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseJobKind(%q) = %v, %v, want %v", k.String(), got, err, k)
		}
	}
	for s := JobStateNone; s <= JobStateCancelled; s++ {
		got, err := ParseJobState(s.String())
		if err != nil || got != s {
			t.Errorf("ParseJobState(%q) = %v, %v, want %v", s.String(), got, err, s)
		}
	}
	for _, bad := range []string{"", "RENDER", "video", "render "} {
		if _, err := ParseJobKind(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseJobKind(%q) error = %v, want %s", bad, err, EINVALID)
		}
	}
	if JobKind(9).Valid() || JobKind(9).String() != "kind(9)" {
		t.Errorf("JobKind(9): Valid=%v String=%q", JobKind(9).Valid(), JobKind(9).String())
	}
}

func TestParseJobID(t *testing.T) {
	tests := []struct {
		in      string
		want    JobID
		wantErr bool
	}{
		{"0", 0, false},
		{"42", 42, false},
		{"18446744073709551615", 18446744073709551615, false},
		{"18446744073709551616", 0, true},
		{"-1", 0, true},
		{"1; DROP TABLE jobs", 0, true},
		{"", 0, true},
		{"0x10", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseJobID(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseJobID(%q) = %v, %v, want %v (err %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
