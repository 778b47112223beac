package solana

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseJobRef(t *testing.T) {
	maxJob := "115792089237316195423570985008687907853269984665640564039457584007913129639935" // 2^256-1
	tests := []struct {
		memo    string
		chainID uint64
		jobID   string
		wantErr error
	}{
		{memo: "gpumarket:job:1:42", chainID: 1, jobID: "42"},
		{memo: "gpumarket:job:31337:0", chainID: 31337, jobID: "0"},
		{memo: "gpumarket:job:18446744073709551615:" + maxJob, chainID: 18446744073709551615, jobID: maxJob},
		// Plain text: recorded memos of the fixtures.
		{memo: "transfer", wantErr: ErrNoJobRef},
		{memo: "test-single-transfer-receipt", wantErr: ErrNoJobRef},
		{memo: "", wantErr: ErrNoJobRef},
		{memo: "GPUMARKET:job:1:42", wantErr: ErrNoJobRef},
		{memo: " gpumarket:job:1:42", wantErr: ErrNoJobRef},
		// Claims the prefix but is malformed.
		{memo: "gpumarket:", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job::42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:0:42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:01:42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:042", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:-42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:+1:42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:42 ", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:42\n", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:42:7", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:0x2a", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:1:４２", wantErr: ErrMalformedMemo}, // full-width digits
		{memo: "gpumarket:Job:1:42", wantErr: ErrMalformedMemo},
		{memo: "gpumarket:job:18446744073709551616:1", wantErr: ErrMalformedMemo},                                                           // chain id 2^64
		{memo: "gpumarket:job:1:115792089237316195423570985008687907853269984665640564039457584007913129639936", wantErr: ErrMalformedMemo}, // 2^256
		{memo: "gpumarket:job:1:" + strings.Repeat("9", 200), wantErr: ErrMalformedMemo},
	}
	for _, tt := range tests {
		t.Run(tt.memo, func(t *testing.T) {
			got, err := ParseJobRef(tt.memo)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseJobRef(%q) error = %v, want %v", tt.memo, err, tt.wantErr)
				}
				if errors.Is(tt.wantErr, ErrMalformedMemo) && errors.Is(err, ErrNoJobRef) {
					t.Fatalf("ParseJobRef(%q) error %v is both malformed and not-a-ref", tt.memo, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseJobRef(%q) error = %v", tt.memo, err)
			}
			if got.ChainID != tt.chainID || got.JobID.String() != tt.jobID {
				t.Fatalf("ParseJobRef(%q) = %d/%s, want %d/%s", tt.memo, got.ChainID, got.JobID, tt.chainID, tt.jobID)
			}
			if got.String() != tt.memo {
				t.Fatalf("ParseJobRef(%q).String() = %q, want the memo back", tt.memo, got.String())
			}
		})
	}
}

func TestJobRefString(t *testing.T) {
	r := JobRef{ChainID: 8453, JobID: big.NewInt(7)}
	if got, want := r.String(), "gpumarket:job:8453:7"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

func TestParseSignatureMemo(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{in: "[8] transfer", want: []string{"transfer"}}, // recorded in getSignaturesForAddress_memo_mainnet.json
		{in: "", want: nil},
		{in: "[0] ", want: []string{""}},
		{in: "[3] a; [1] b", wantErr: true}, // length 3 swallows "; ", then "[1] b" lacks its separator
		{in: "[4] a; b; [1] c", want: []string{"a; b", "c"}},
		{in: "[18] gpumarket:job:1:7", wantErr: true}, // 17 bytes, claims 18
		{in: "[17] gpumarket:job:1:7", want: []string{"gpumarket:job:1:7"}},
		{in: "[8] transfer; [17] gpumarket:job:1:7", want: []string{"transfer", "gpumarket:job:1:7"}},
		{in: "[9] transfer", wantErr: true},
		{in: "[7] transfer", wantErr: true}, // one byte left over, no "; "
		{in: "transfer", wantErr: true},
		{in: "[x] transfer", wantErr: true},
		{in: "[08] transfer", wantErr: true},
		{in: "[8]transfer", wantErr: true},
		{in: "[99999999999] x", wantErr: true},
		{in: "[2] \xff\xfe", wantErr: true},
		// The node writes "(unparsable)" in place of a memo that is not UTF-8.
		{in: "[5] (unparsable)", want: []string{UnparsableMemo}},
		{in: "[40] (unparsable); [8] transfer", want: []string{UnparsableMemo, "transfer"}},
		{in: "[8] transfer; [3] (unparsable)", want: []string{"transfer", UnparsableMemo}},
		{in: "[12] (unparsable)", want: []string{"(unparsable)"}},
		{in: "[20] (unparsable) tricks!", want: []string{"(unparsable) tricks!"}},
		{in: "[5] (unparsable) x", wantErr: true},
		{in: "[5] (unparsable)transfer", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSignatureMemo(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("ParseSignatureMemo(%q) = %q, %v; want ErrMalformed", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSignatureMemo(%q) error = %v", tt.in, err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Fatalf("ParseSignatureMemo(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseJobRef checks that the parser never panics, that every
// accepted memo is canonical (formats back to itself), and that errors
// are always one of the two documented kinds.
func FuzzParseJobRef(f *testing.F) {
	for _, s := range []string{
		"transfer", "test-single-transfer-receipt", "[8] transfer", // recorded memos
		"gpumarket:job:1:42", "gpumarket:job:31337:0", "gpumarket:job:01:1", "gpumarket:job:1:1:1",
		"gpumarket:job:18446744073709551615:115792089237316195423570985008687907853269984665640564039457584007913129639935",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, memo string) {
		ref, err := ParseJobRef(memo)
		if err != nil {
			if !errors.Is(err, ErrNoJobRef) && !errors.Is(err, ErrMalformedMemo) {
				t.Fatalf("ParseJobRef(%q) error %v is neither ErrNoJobRef nor ErrMalformedMemo", memo, err)
			}
			if errors.Is(err, ErrNoJobRef) == strings.HasPrefix(memo, JobRefPrefix) {
				t.Fatalf("ParseJobRef(%q) error %v disagrees with the prefix", memo, err)
			}
			return
		}
		if ref.String() != memo {
			t.Fatalf("ParseJobRef(%q) accepted a non-canonical memo: formats as %q", memo, ref.String())
		}
		if ref.ChainID == 0 || ref.JobID.Sign() < 0 || ref.JobID.Cmp(maxUint256) > 0 {
			t.Fatalf("ParseJobRef(%q) = %d/%s out of range", memo, ref.ChainID, ref.JobID)
		}
	})
}

// FuzzParseSignatureMemo checks that the RPC memo splitter never panics
// and that what it accepts re-encodes to its input.
func FuzzParseSignatureMemo(f *testing.F) {
	for _, s := range []string{"[8] transfer", "", "[4] a; b; [1] c", "[9] transfer", "[0] ",
		"[5] (unparsable)", "[40] (unparsable); [8] transfer", "[12] (unparsable)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		memos, err := ParseSignatureMemo(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseSignatureMemo(%q) error %v does not wrap ErrMalformed", s, err)
			}
			return
		}
		var parts []string
		unparsable := false
		for _, m := range memos {
			if !utf8.ValidString(m) {
				t.Fatalf("ParseSignatureMemo(%q) returned non-UTF-8 %q", s, m)
			}
			unparsable = unparsable || m == UnparsableMemo
			parts = append(parts, "["+itoa(len(m))+"] "+m)
		}
		got := strings.Join(parts, "; ")
		if !unparsable && got != s {
			t.Fatalf("ParseSignatureMemo(%q) = %q, re-encodes as %q", s, memos, got)
		}
		// The node's "(unparsable)" marker does not keep the memo's length;
		// the texts must still round-trip.
		again, err := ParseSignatureMemo(got)
		if err != nil || strings.Join(again, "\x00") != strings.Join(memos, "\x00") {
			t.Fatalf("ParseSignatureMemo(%q) = %q, re-encoded %q parses as %q, %v", s, memos, got, again, err)
		}
	})
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
