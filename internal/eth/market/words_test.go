package market

import (
	"encoding/binary"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/gpumarket/gpumarket"
)

// wordEvents are the events read by words.go instead of the bindings.
var wordEvents = []string{"JobCreated", "JobAccepted", "JobCancelled", "ResultSubmitted", "JobSettled", "JobDisputed",
	"JobDisputeResolved", "JobRefunded"}

// viaBindings returns a decoder of the same deployment that reads every
// event through the bindings' UnpackIntoInterface (the decoder before words.go).
func viaBindings(d *Decoder) *Decoder {
	return NewDecoderViaBindings(gpumarket.Address(d.market), gpumarket.Address(d.registry))
}

// sameDecode checks that both decoders return the same event (deeply
// equal) or the same error for l.
func sameDecode(t *testing.T, words, bindings *Decoder, l gpumarket.Log) (decoded bool) {
	t.Helper()
	got, gotErr := words.Decode(l)
	want, wantErr := bindings.Decode(l)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("Decode(topics %x, data %x) error = %v, via the bindings %v", l.Topics, l.Data, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(topics %x, data %x) = %+v, via the bindings %+v", l.Topics, l.Data, got, want)
	}
	return gotErr == nil && got != nil
}

// randomWords appends a random canonical encoding of a fixed-size value
// of type t: each uintN a random N-bit number (often 0 or the maximum),
// addresses and bytesN zero-padded, bools 0 or 1.
func randomWords(r *rand.Rand, t abi.Type, out []byte) []byte {
	switch t.T {
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			out = randomWords(r, *e, out)
		}
		return out
	case abi.ArrayTy:
		for range t.Size {
			out = randomWords(r, *t.Elem, out)
		}
		return out
	}
	w := make([]byte, 32)
	switch t.T {
	case abi.UintTy:
		b := make([]byte, t.Size/8)
		fill(r, b)
		v := new(big.Int).SetBytes(b)
		switch r.IntN(6) {
		case 0:
			v.SetInt64(0)
		case 1:
			v.Sub(new(big.Int).Lsh(big.NewInt(1), uint(t.Size)), big.NewInt(1))
		case 2:
			v.Rsh(v, uint(r.IntN(t.Size))) // small values too
		}
		v.FillBytes(w)
	case abi.AddressTy:
		fill(r, w[12:])
	case abi.BoolTy:
		w[31] = byte(r.IntN(2))
	case abi.FixedBytesTy:
		fill(r, w[:t.Size])
	default:
		fill(r, w)
	}
	return append(out, w...)
}

// randomCanonical is a random canonical encoding of args (fixed-size
// values, strings and bytes).
func randomCanonical(r *rand.Rand, args abi.Arguments) []byte {
	headLen := 0
	for _, a := range args {
		headLen += 32 * max(staticWords(a.Type), 1)
	}
	var head, tail []byte
	for _, a := range args {
		if staticWords(a.Type) > 0 {
			head = randomWords(r, a.Type, head)
			continue
		}
		offset := make([]byte, 32)
		binary.BigEndian.PutUint64(offset[24:], uint64(headLen+len(tail)))
		head = append(head, offset...)
		n := r.IntN(100)
		length := make([]byte, 32)
		binary.BigEndian.PutUint64(length[24:], uint64(n))
		body := make([]byte, (n+31)/32*32)
		fill(r, body[:n])
		tail = append(append(tail, length...), body...)
	}
	return append(head, tail...)
}

// randomTopics returns topic0 and a random value per indexed argument:
// job ids of 64 bits or wider, addresses mostly zero-padded.
func randomTopics(r *rand.Rand, ed staticEvent) []gpumarket.Hash {
	topics := []gpumarket.Hash{gpumarket.Hash(ed.id)}
	for _, a := range ed.args {
		if !a.Indexed {
			continue
		}
		var h gpumarket.Hash
		switch {
		case a.Type.T == abi.AddressTy && r.IntN(20) > 0:
			fill(r, h[12:])
		case a.Type.T == abi.UintTy && r.IntN(4) > 0:
			fill(r, h[32-r.IntN(9):])
		default:
			fill(r, h[:])
		}
		topics = append(topics, h)
	}
	return topics
}

// jobKindNamesForTest counts the job kinds (a kind beyond them is rejected).
var jobKindNamesForTest = func() []string {
	var names []string
	for k := gpumarket.JobKind(0); k.Valid(); k++ {
		names = append(names, k.String())
	}
	return names
}()

func fill(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// TestWordsMatchBindings decodes random canonical logs of every event
// words.go reads (random amounts up to their type's maximum, strings,
// job ids beyond 64 bits, dirty address topics), and byte-mutated copies
// of them, with the word readers and through the bindings, and requires
// the same event or the same error from both.
func TestWordsMatchBindings(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 3))
	d := NewDecoder(gpumarket.Address{1}, gpumarket.Address{2})
	old := viaBindings(d)
	byName := map[string]staticEvent{}
	for _, ed := range staticEvents(t) {
		byName[ed.name] = ed
	}
	for _, name := range wordEvents {
		ed, ok := byName[name]
		if !ok {
			t.Fatalf("%s is read by words.go but does not take the canonical fast check words.go relies on", name)
		}
		t.Run(name, func(t *testing.T) {
			decoded, rejected := 0, 0
			for i := range 4000 {
				l := gpumarket.Log{Address: gpumarket.Address(ed.contract), Topics: randomTopics(r, ed),
					Data: randomCanonical(r, ed.args.NonIndexed())}
				if name == "JobCreated" && r.IntN(8) > 0 {
					// Mostly a job the decoder accepts: its client and token
					// are the topics', its kind known, its state open.
					copy(l.Data[12:32], l.Topics[2][12:])
					copy(l.Data[32+12:64], l.Topics[3][12:])
					l.Data[3*32+31] = byte(r.IntN(len(jobKindNamesForTest) + 1))
					l.Data[4*32+31] = byte(gpumarket.JobStateOpen)
				}
				if i%4 == 3 && len(l.Data) > 0 {
					l.Data[r.IntN(len(l.Data))] = byte(r.Uint32())
				}
				if sameDecode(t, d, old, l) {
					decoded++
				} else {
					rejected++
				}
			}
			if decoded < 1000 || rejected == 0 {
				t.Fatalf("decoded %d, rejected %d: the samples test too little", decoded, rejected)
			}
		})
	}
}
