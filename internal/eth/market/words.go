package market

import (
	"encoding/binary"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket/bindings"
)

// The job events' data is read word by word here instead of through the
// bindings' UnpackIntoInterface (reflection over the ABI, a copy per
// field): the indexer decodes every log of a backfill, and these eight
// events are nearly all of them. Each reader builds exactly the struct the
// binding's Unpack…Event returns, value for value (the differential tests
// in words_test.go check it on real and random logs), so the domain
// conversion after it is shared.
//
// A reader may only run after eventDecoder.canonical accepted the log:
// then the topics count is the event's, the data has the head the
// arguments fix, every word is padded as its type's encoding pads it (a
// uint8 fits in its last byte, a bool is 0 or 1), and each string's offset
// and length lie inside the data. The readers rely on that and check
// nothing again.

// abiWords is a log's data as 32-byte words.
type abiWords []byte

func (w abiWords) word(i int) []byte { return w[32*i : 32*i+32] }

// big reads a uintN word (N > 64) as the ABI decoder does: new(big.Int).SetBytes.
func (w abiWords) big(i int) *big.Int { return new(big.Int).SetBytes(w.word(i)) }

func (w abiWords) uint8(i int) uint8   { return w.word(i)[31] }
func (w abiWords) uint16(i int) uint16 { return binary.BigEndian.Uint16(w.word(i)[30:]) }
func (w abiWords) uint64(i int) uint64 { return binary.BigEndian.Uint64(w.word(i)[24:]) }
func (w abiWords) bool(i int) bool     { return w.word(i)[31] == 1 }

func (w abiWords) address(i int) common.Address { return common.Address(w.word(i)[12:]) }
func (w abiWords) bytes32(i int) [32]byte       { return [32]byte(w.word(i)) }

// string reads the string whose offset is word i.
func (w abiWords) string(i int) string {
	off := binary.BigEndian.Uint64(w.word(i)[24:])
	n := binary.BigEndian.Uint64(w[off+24 : off+32])
	return string(w[off+32 : off+32+n])
}

// payout reads the Payout tuple starting at word i (5 words).
func (w abiWords) payout(i int) bindings.Payout {
	return bindings.Payout{Treasury: w.address(i), ProtocolFee: w.big(i + 1), CreatorAmount: w.big(i + 2),
		ProviderAmount: w.big(i + 3), ClientRefund: w.big(i + 4)}
}

// topicBig and topicAddress read indexed arguments as abi.ParseTopics does.
func topicBig(l *types.Log, i int) *big.Int           { return new(big.Int).SetBytes(l.Topics[i][:]) }
func topicAddress(l *types.Log, i int) common.Address { return common.Address(l.Topics[i][12:]) }

func wordsJobCreated(l *types.Log) *bindings.JobMarketplaceJobCreated {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobCreated{
		JobId: topicBig(l, 1), Client: topicAddress(l, 2), Token: topicAddress(l, 3),
		Job: bindings.Job{
			Client: w.address(0), Token: w.address(1), MaxPayment: w.big(2), Kind: w.uint8(3), State: w.uint8(4),
			Deadline: w.big(5), FeeBps: w.uint16(6), CreatorShareBps: w.uint16(7), PreferredProvider: w.address(8),
			Creator: w.address(9), Treasury: w.address(10), SpecHash: w.bytes32(11), Provider: w.address(12),
			Price: w.big(13), AmountDue: w.big(14), ChallengeEnd: w.big(15), DisputedAt: w.big(16), DisputeBond: w.big(17),
		},
		SpecURI: w.string(18), OrderNonce: w.big(19), Raw: l,
	}
}

func wordsJobAccepted(l *types.Log) *bindings.JobMarketplaceJobAccepted {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobAccepted{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		Price: w.big(0), ReservedStake: w.big(1), Signer: w.address(2), Matcher: w.address(3), Raw: l}
}

func wordsJobCancelled(l *types.Log) *bindings.JobMarketplaceJobCancelled {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobCancelled{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Token: topicAddress(l, 3),
		Refund: w.big(0), Raw: l}
}

func wordsResultSubmitted(l *types.Log) *bindings.JobMarketplaceResultSubmitted {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceResultSubmitted{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		ResultHash: w.bytes32(0), ResultURI: w.string(1), Usage: bindings.Usage{Units: w.uint64(2), ExtraUnits: w.uint64(3)},
		AmountDue: w.big(4), ChallengeEnd: w.big(5), Raw: l}
}

func wordsJobSettled(l *types.Log) *bindings.JobMarketplaceJobSettled {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobSettled{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		Token: w.address(0), Payout: w.payout(1), SettledBy: w.address(6), Raw: l}
}

func wordsJobDisputed(l *types.Log) *bindings.JobMarketplaceJobDisputed {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobDisputed{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		ReasonHash: w.bytes32(0), DisputedAt: w.big(1), DisputeBond: w.big(2), Raw: l}
}

func wordsJobDisputeResolved(l *types.Log) *bindings.JobMarketplaceJobDisputeResolved {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobDisputeResolved{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		Token: w.address(0), Payout: w.payout(1), ProviderPaid: w.big(6), Slashed: w.big(7), BondToProvider: w.big(8),
		Arbiter: w.address(9), TimedOut: w.bool(10), Raw: l}
}

func wordsJobRefunded(l *types.Log) *bindings.JobMarketplaceJobRefunded {
	w := abiWords(l.Data)
	return &bindings.JobMarketplaceJobRefunded{JobId: topicBig(l, 1), Client: topicAddress(l, 2), Provider: topicAddress(l, 3),
		Token: w.address(0), Refund: w.big(1), Slashed: w.big(2), RefundedBy: w.address(3), Raw: l}
}

// unpack returns the binding struct of a canonical log: read word by word,
// or through the bindings when the decoder was made for the differential
// tests (viaBindings).
func unpack[T any](d *Decoder, l *types.Log, words func(*types.Log) *T, viaBindings func(*types.Log) (*T, error)) (*T, error) {
	if d.viaBindings {
		return viaBindings(l)
	}
	return words(l), nil
}
