package market

import (
	"math/big"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
)

// staticEvent is a fixed-size event with its topic0.
type staticEvent struct {
	eventDecoder
	id common.Hash
}

// decoders returns a decoder that takes the fast path and one that always
// decodes and re-encodes.
func decoders() (fast, slow *Decoder) {
	fast, slow = NewDecoder(gpumarket.Address{1}, gpumarket.Address{2}), NewDecoder(gpumarket.Address{1}, gpumarket.Address{2})
	for id, ed := range slow.byTopic {
		ed.static = false
		slow.byTopic[id] = ed
	}
	return fast, slow
}

// staticEvents returns the decoder's events that take the fast check
// (fixed-size values, strings and bytes), by name.
func staticEvents(tb testing.TB) []staticEvent {
	tb.Helper()
	d := NewDecoder(gpumarket.Address{1}, gpumarket.Address{2})
	var out []staticEvent
	for id, ed := range d.byTopic {
		if ed.static {
			out = append(out, staticEvent{ed, id})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	if len(out) == 0 {
		tb.Fatal("no event has only fixed-size data: the fast path is never taken")
	}
	return out
}

// agree checks that Decode accepts exactly the same logs of the event
// with the fast check as with decode and re-encode (which alone lets a
// uint40 or uint128 with dirty padding through: the value range check
// after it rejects some of those, not all), and reports whether the fast
// check accepted the data. The fast check alone must never be looser than
// decode and re-encode.
func agree(t *testing.T, fastDec, slowDec *Decoder, ed staticEvent, data []byte) bool {
	t.Helper()
	args := ed.args.NonIndexed()
	if staticCanonical(args, data) == nil && reencodes(args, data) != nil {
		t.Fatalf("%s, data %x: the fast check accepts what decode and re-encode rejects: %v", ed.name, data, reencodes(args, data))
	}
	l := gpumarket.Log{Address: gpumarket.Address(ed.contract), Data: data, Topics: []gpumarket.Hash{gpumarket.Hash(ed.id)}}
	for _, a := range ed.args {
		if a.Indexed {
			l.Topics = append(l.Topics, gpumarket.Hash{})
		}
	}
	_, fast := fastDec.Decode(l)
	_, slow := slowDec.Decode(l)
	if fast != nil && slow == nil {
		// Stricter only where a value does not fit its Solidity type (a
		// uint128 above 2^128-1): decode and re-encode reads such words
		// as 256-bit numbers, and the event cannot have been emitted.
		values, err := args.UnpackValues(data)
		if err != nil {
			t.Fatalf("%s: Decode accepted data that does not unpack: %v", ed.name, err)
		}
		for i, a := range args {
			if overflows(a.Type, reflect.ValueOf(values[i])) {
				return staticCanonical(args, data) == nil
			}
		}
	}
	if (fast == nil) != (slow == nil) {
		t.Fatalf("%s, data %x: Decode with the fast check %v, with decode and re-encode %v", ed.name, data, fast, slow)
	}
	return staticCanonical(args, data) == nil
}

// TestStaticCanonicalAgrees mutates canonical encodings of every event
// that takes the fast check byte by byte (values, padding, offsets,
// lengths, trailing bytes) and checks the fast check against decode and
// re-encode on each.
func TestStaticCanonicalAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 1))
	fastDec, slowDec := decoders()
	for _, ed := range staticEvents(t) {
		t.Run(ed.name, func(t *testing.T) {
			accepted, rejected := 0, 0
			for i := 0; i < 3000; i++ {
				data := randomCanonical(r, ed.args.NonIndexed())
				n := len(data)
				for range 1 + r.IntN(3) {
					if n > 0 {
						data[r.IntN(n)] = []byte{0, 1, 2, 0x7f, 0x80, 0xff, byte(r.Uint32())}[r.IntN(7)]
					}
				}
				switch r.IntN(10) {
				case 0:
					data = append(data, 0)
				case 1:
					if n > 0 {
						data = data[:n-1-r.IntN(min(n, 32))]
					}
				}
				if agree(t, fastDec, slowDec, ed, data) {
					accepted++
				} else {
					rejected++
				}
			}
			if accepted == 0 || (len(ed.args.NonIndexed()) > 0 && rejected == 0) {
				t.Fatalf("accepted %d, rejected %d: the mutations test nothing", accepted, rejected)
			}
		})
	}
}

// overflows reports whether a decoded value (or one inside it) lies
// outside the range of its Solidity type.
func overflows(t abi.Type, v reflect.Value) bool {
	switch t.T {
	case abi.ArrayTy:
		for i := range v.Len() {
			if overflows(*t.Elem, v.Index(i)) {
				return true
			}
		}
	case abi.TupleTy:
		for i, e := range t.TupleElems {
			if overflows(*e, v.Field(i)) {
				return true
			}
		}
	case abi.UintTy, abi.IntTy:
		b, ok := v.Interface().(*big.Int)
		if !ok {
			return false // uint8..uint64 decode to Go integers: unpack checks their range
		}
		if t.T == abi.UintTy {
			return b.Sign() < 0 || b.BitLen() > t.Size
		}
		limit := new(big.Int).Lsh(big.NewInt(1), uint(t.Size-1))
		return b.Cmp(limit) >= 0 || b.Cmp(new(big.Int).Neg(limit)) < 0
	}
	return false
}

// FuzzStaticCanonical: for any data, the fast check of a fixed-size event
// accepts exactly what decoding and re-encoding accepts.
func FuzzStaticCanonical(f *testing.F) {
	events := staticEvents(f)
	fastDec, slowDec := decoders()
	r := rand.New(rand.NewPCG(18, 2))
	for i := range events {
		f.Add(byte(i), randomCanonical(r, events[i].args.NonIndexed()))
	}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		agree(t, fastDec, slowDec, events[int(which)%len(events)], data)
	})
}
