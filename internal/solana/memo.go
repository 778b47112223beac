package solana

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JobRefPrefix starts every memo that names a job. Memos that do not
// start with it are plain text (an opaque reference kept in Payment.Memo).
const JobRefPrefix = "gpumarket:"

// jobRefHead is the full fixed head of a job reference.
const jobRefHead = JobRefPrefix + "job:"

// maxJobRefLen bounds a job reference: head, 20 digits of a u64 chain id,
// a colon and 78 digits of a uint256 job id.
const maxJobRefLen = len(jobRefHead) + 20 + 1 + 78

// maxUint256 is 2^256-1, the largest EVM job id.
var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// JobRef is a reference to a job on an EVM chain of the market, as named
// by a payment memo.
type JobRef struct {
	// ChainID is the EVM chain id of the market contract, at least 1.
	ChainID uint64
	// JobID is the job id in that market, 0 <= JobID < 2^256.
	JobID *big.Int
}

// String formats r as its memo: "gpumarket:job:<chainId>:<jobId>".
func (r JobRef) String() string {
	id := "0"
	if r.JobID != nil {
		id = r.JobID.String()
	}
	return jobRefHead + strconv.FormatUint(r.ChainID, 10) + ":" + id
}

// ParseJobRef parses a memo in the strict job reference format
//
//	gpumarket:job:<chainId>:<jobId>
//
// where chainId is a decimal u64 of at least 1 and jobId a decimal number
// below 2^256, both without sign, leading zeros (except "0" itself for
// jobId), whitespace or other characters; nothing may precede or follow.
// The match is case-sensitive.
//
// It returns an error wrapping ErrNoJobRef if memo does not start with
// JobRefPrefix (plain text: not an error for a payment), and an error
// wrapping ErrMalformedMemo if it starts with JobRefPrefix but is not
// exactly in the format.
func ParseJobRef(memo string) (JobRef, error) {
	if !strings.HasPrefix(memo, JobRefPrefix) {
		return JobRef{}, fmt.Errorf("parse job ref %.40q: %w", memo, ErrNoJobRef)
	}
	fail := func(why string) (JobRef, error) {
		return JobRef{}, fmt.Errorf("parse job ref %.120q: %s: %w", memo, why, ErrMalformedMemo)
	}
	if len(memo) > maxJobRefLen {
		return fail(fmt.Sprintf("longer than %d bytes", maxJobRefLen))
	}
	rest, ok := strings.CutPrefix(memo, jobRefHead)
	if !ok {
		return fail("want prefix " + strconv.Quote(jobRefHead))
	}
	chainStr, jobStr, ok := strings.Cut(rest, ":")
	if !ok {
		return fail("want <chainId>:<jobId>")
	}
	if err := checkDecimal(chainStr); err != nil {
		return fail("chain id: " + err.Error())
	}
	chainID, err := strconv.ParseUint(chainStr, 10, 64)
	if err != nil {
		return fail("chain id does not fit in 64 bits")
	}
	if chainID == 0 {
		return fail("chain id 0")
	}
	if err := checkDecimal(jobStr); err != nil {
		return fail("job id: " + err.Error())
	}
	jobID, ok := new(big.Int).SetString(jobStr, 10)
	if !ok || jobID.Cmp(maxUint256) > 0 {
		return fail("job id does not fit in 256 bits")
	}
	return JobRef{ChainID: chainID, JobID: jobID}, nil
}

// checkDecimal accepts "0" or a non-empty run of ASCII digits without a
// leading zero.
func checkDecimal(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("non-digit at byte %d", i)
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return fmt.Errorf("leading zero")
	}
	return nil
}

// UnparsableMemo stands for a memo whose bytes are not UTF-8. It is what
// the RPC node writes in place of such a memo in getSignaturesForAddress
// ("[<byte length>] (unparsable)"), and what the decoder reports for one
// in a transaction. It names no job.
const UnparsableMemo = "(unparsable)"

// ParseSignatureMemo splits the memo field of a getSignaturesForAddress
// entry into the memo texts it holds. The RPC writes each memo as
// "[<byte length>] <text>" and joins several with "; ". The byte lengths
// are checked, so a "; " inside a memo is not mistaken for a separator.
// A memo that is not UTF-8 is written by the RPC as
// "[<byte length>] (unparsable)" and yields UnparsableMemo. An empty
// string yields no memos.
//
// It returns an error wrapping ErrMalformed if the string does not follow
// that form.
func ParseSignatureMemo(s string) ([]string, error) {
	var out []string
	rest := s
	for rest != "" {
		if len(out) > 0 {
			r, ok := strings.CutPrefix(rest, "; ")
			if !ok {
				return nil, fmt.Errorf("parse signature memo %.80q: want \"; \" after memo %d: %w", s, len(out), ErrMalformed)
			}
			rest = r
		}
		if !strings.HasPrefix(rest, "[") {
			return nil, fmt.Errorf("parse signature memo %.80q: want \"[<len>] \": %w", s, ErrMalformed)
		}
		end := strings.Index(rest, "] ")
		if end < 0 {
			return nil, fmt.Errorf("parse signature memo %.80q: want \"] \" after the length: %w", s, ErrMalformed)
		}
		lenStr := rest[1:end]
		if err := checkDecimal(lenStr); err != nil || len(lenStr) > 6 {
			return nil, fmt.Errorf("parse signature memo %.80q: bad length %.10q: %w", s, lenStr, ErrMalformed)
		}
		n, _ := strconv.Atoi(lenStr) // checked: at most 6 digits
		rest = rest[end+2:]
		if r, ok := strings.CutPrefix(rest, UnparsableMemo); ok && !memoEndsAt(rest, n) && (r == "" || strings.HasPrefix(r, "; ")) {
			// The node's marker for n bytes that are not UTF-8.
			out = append(out, UnparsableMemo)
			rest = r
			continue
		}
		if n > len(rest) {
			return nil, fmt.Errorf("parse signature memo %.80q: length %d exceeds the %d bytes left: %w", s, n, len(rest), ErrMalformed)
		}
		text := rest[:n]
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("parse signature memo %.80q: memo %d is not UTF-8: %w", s, len(out), ErrMalformed)
		}
		out = append(out, text)
		rest = rest[n:]
	}
	return out, nil
}

// memoEndsAt reports whether a memo of n bytes at the start of rest is
// valid UTF-8 and followed by the end or by the "; " separator.
func memoEndsAt(rest string, n int) bool {
	if n > len(rest) || !utf8.ValidString(rest[:n]) {
		return false
	}
	return n == len(rest) || strings.HasPrefix(rest[n:], "; ")
}

// jobRefFromMemos derives the job reference of a transaction from its
// memo texts: the one reference they name, nil if none is a reference.
// Plain-text memos are ignored. A malformed reference or two different
// references yield a non-nil error (ErrMalformedMemo, ErrAmbiguousMemo).
func jobRefFromMemos(memos []string) (*JobRef, error) {
	var ref *JobRef
	for _, m := range memos {
		r, err := ParseJobRef(m)
		switch {
		case err == nil:
		case errors.Is(err, ErrNoJobRef):
			continue
		default:
			return nil, err
		}
		if ref != nil && (ref.ChainID != r.ChainID || ref.JobID.Cmp(r.JobID) != 0) {
			return nil, fmt.Errorf("memos %q and %q: %w", ref.String(), r.String(), ErrAmbiguousMemo)
		}
		ref = &r
	}
	return ref, nil
}
