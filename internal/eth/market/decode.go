package market

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"
	"reflect"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// Decoder turns the logs of one deployment (a JobMarketplace and its
// ProviderRegistry) into domain events: every event of both contracts,
// decoded through the generated bindings. It implements indexer.Decoder and
// is safe for concurrent use.
//
// A log is accepted only in its canonical ABI encoding: the topics count
// must match the event, indexed addresses must have zero padding, and the
// data must re-encode to exactly the bytes logged (so dirty padding,
// trailing bytes or odd offsets are errors). Values must fit their Solidity
// types (uint40 timestamps, uint128 amounts) and job ids must fit a JobID
// (64 bits). A log that a real contract could not have emitted is therefore
// an EINVALID error, never a panic and never a silently different event.
//
// Decoded jobs have ChainID zero: a log does not name its chain.
type Decoder struct {
	market, registry common.Address
	mkt              *bindings.JobMarketplace
	reg              *bindings.ProviderRegistry
	byTopic          map[common.Hash]eventDecoder
	// viaBindings makes the job events decode through the bindings'
	// UnpackIntoInterface instead of words.go (the differential tests).
	viaBindings bool
}

type eventDecoder struct {
	name     string
	contract common.Address
	args     abi.Arguments // the event's inputs
	// static is true when every non-indexed input has a fixed size or is
	// a string or bytes: the canonical check then reads the layout and the
	// padding word by word (staticCanonical) instead of decoding and
	// re-encoding.
	static bool
	decode func(*types.Log) (gpumarket.Event, error)
}

// NewDecoder returns the decoder of the marketplace at market and the
// registry at registry.
func NewDecoder(market, registry gpumarket.Address) *Decoder {
	d := &Decoder{
		market: common.Address(market), registry: common.Address(registry),
		mkt: bindings.NewJobMarketplace(), reg: bindings.NewProviderRegistry(),
		byTopic: map[common.Hash]eventDecoder{},
	}
	for _, e := range marketEvents {
		d.addEvent(d.market, d.mkt.GetABI(), e.name, e.decode)
	}
	for _, e := range registryEvents {
		d.addEvent(d.registry, d.reg.GetABI(), e.name, e.decode)
	}
	return d
}

// addEvent registers the decoder of the event called name of contract.
func (d *Decoder) addEvent(contract common.Address, a abi.ABI, name string, decode func(*Decoder, *types.Log) (gpumarket.Event, error)) {
	ev, ok := a.Events[name]
	if !ok {
		panic("eth: decoder: no event " + name) // the bindings changed: caught by every test
	}
	static := true
	for _, a := range ev.Inputs.NonIndexed() {
		static = static && (staticWords(a.Type) > 0 || a.Type.T == abi.StringTy || a.Type.T == abi.BytesTy)
	}
	d.byTopic[ev.ID] = eventDecoder{name: name, contract: contract, args: ev.Inputs, static: static, decode: func(l *types.Log) (gpumarket.Event, error) { return decode(d, l) }}
}

// EventNames returns the names of the events d decodes, for tests and docs.
func (d *Decoder) EventNames() []string {
	out := make([]string, 0, len(d.byTopic))
	for _, e := range d.byTopic {
		out = append(out, e.name)
	}
	return out
}

// Decode returns the domain event of l. It returns (nil, nil) for a log
// without topics, with an unknown topic0, or from an address other than the
// contract that emits that event; and an EINVALID error naming the event
// for a known event that is not in its canonical encoding or holds a value
// out of range (including a job id above 2^64-1).
func (d *Decoder) Decode(l gpumarket.Log) (gpumarket.Event, error) {
	if len(l.Topics) == 0 {
		return nil, nil
	}
	ed, ok := d.byTopic[common.Hash(l.Topics[0])]
	if !ok || common.Address(l.Address) != ed.contract {
		return nil, nil
	}
	tl := &types.Log{Address: common.Address(l.Address), Data: l.Data, BlockNumber: l.BlockNumber,
		TxHash: common.Hash(l.TxHash), TxIndex: l.TxIndex, BlockHash: common.Hash(l.BlockHash), Index: l.Index}
	tl.Topics = make([]common.Hash, len(l.Topics))
	for i, t := range l.Topics {
		tl.Topics[i] = common.Hash(t)
	}
	if err := ed.canonical(tl); err != nil {
		return nil, decodeErr(ed.name, l, err)
	}
	ev, err := ed.decode(tl)
	if err != nil {
		return nil, decodeErr(ed.name, l, err)
	}
	return ev, nil
}

func decodeErr(name string, l gpumarket.Log, err error) error {
	return fmt.Errorf("decode %s (block %d, log %d): %w", name, l.BlockNumber, l.Index,
		gpumarket.Errorf(gpumarket.EINVALID, "%v", err))
}

// canonical checks the topic count, the padding of indexed addresses, and
// that the data is exactly the ABI encoding of what it decodes to.
func (ed eventDecoder) canonical(l *types.Log) error {
	var indexed int
	for _, a := range ed.args {
		if !a.Indexed {
			continue
		}
		indexed++
		if indexed < len(l.Topics) && a.Type.T == abi.AddressTy && !isZero(l.Topics[indexed][:12]) {
			return fmt.Errorf("topic %d (%s): address with non-zero padding", indexed, a.Name)
		}
	}
	if len(l.Topics) != indexed+1 {
		return fmt.Errorf("%d topics, want %d", len(l.Topics), indexed+1)
	}
	data := ed.args.NonIndexed()
	if ed.static {
		return staticCanonical(data, l.Data)
	}
	return reencodes(data, l.Data)
}

// reencodes checks that data decodes as args and encodes back to exactly
// the same bytes (any type, dynamic ones included), and that every integer
// fits its type: go-ethereum decodes the sizes other than 8, 16, 32, 64
// and 256 bits (a uint40, a uint128) as a *big.Int of the whole word, and
// would encode an oversized one back unchanged.
func reencodes(data abi.Arguments, raw []byte) error {
	values, err := data.UnpackValues(raw)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	for i, a := range data {
		if err := intsFit(a.Type, reflect.ValueOf(values[i])); err != nil {
			return fmt.Errorf("data: %s: %w", a.Name, err)
		}
	}
	again, err := data.Pack(values...)
	if err != nil {
		return fmt.Errorf("data: re-encode: %w", err)
	}
	if !bytes.Equal(again, raw) {
		return fmt.Errorf("data is not in canonical ABI encoding (%d bytes, canonical %d)", len(raw), len(again))
	}
	return nil
}

// intsFit checks that each integer in v (a value go-ethereum decoded as
// t: an integer, or an array, slice or tuple holding some) is in the range
// of its type.
func intsFit(t abi.Type, v reflect.Value) error {
	switch t.T {
	case abi.UintTy, abi.IntTy:
		n, ok := v.Interface().(*big.Int)
		if !ok || t.Size == 256 {
			return nil // a Go integer of exactly the type's width: checked by the decoder
		}
		if t.T == abi.UintTy && (n.Sign() < 0 || n.BitLen() > t.Size) {
			return fmt.Errorf("%d does not fit a uint%d", n, t.Size)
		}
		if t.T == abi.IntTy {
			limit := new(big.Int).Lsh(big.NewInt(1), uint(t.Size-1))
			if n.Cmp(limit) >= 0 || n.Cmp(new(big.Int).Neg(limit)) < 0 {
				return fmt.Errorf("%d does not fit an int%d", n, t.Size)
			}
		}
	case abi.ArrayTy, abi.SliceTy:
		for i := range v.Len() {
			if err := intsFit(*t.Elem, v.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case abi.TupleTy:
		for i, e := range t.TupleElems {
			if err := intsFit(*e, v.Field(i)); err != nil {
				return fmt.Errorf("%s: %w", t.TupleRawNames[i], err)
			}
		}
	}
	return nil
}

// staticWords is how many 32-byte words a fixed-size type takes in the
// ABI encoding, or 0 for a type with a dynamic part (string, bytes,
// slices, and arrays or tuples holding one) or one staticCanonical does
// not know.
func staticWords(t abi.Type) int {
	switch t.T {
	case abi.UintTy, abi.IntTy, abi.AddressTy, abi.BoolTy, abi.FixedBytesTy:
		return 1
	case abi.ArrayTy:
		return t.Size * staticWords(*t.Elem)
	case abi.TupleTy:
		n := 0
		for _, e := range t.TupleElems {
			w := staticWords(*e)
			if w == 0 {
				return 0
			}
			n += w
		}
		return n
	}
	return 0
}

// staticCanonical is reencodes for arguments of fixed size, strings and
// bytes, without decoding: the data is canonical exactly when the head has
// one word per fixed-size value and one offset per string or bytes, each
// offset pointing just past the previous tail (the first past the head),
// each tail a length word and the bytes zero-padded to a whole word, and
// nothing after the last tail; and each word is padded as the encoder pads
// it (zeros above a uintN, an address, a length or a bool, whose last byte
// is 0 or 1; the sign extended above an intN; zeros after a bytesN).
func staticCanonical(args abi.Arguments, raw []byte) error {
	head := 0
	for _, a := range args {
		head += 32 * max(staticWords(a.Type), 1)
	}
	if len(raw) < head {
		return fmt.Errorf("data is not in canonical ABI encoding (%d bytes, a head of %d)", len(raw), head)
	}
	rest, tail := raw[:head], head
	for _, a := range args {
		var err error
		if a.Type.T != abi.StringTy && a.Type.T != abi.BytesTy {
			if rest, err = staticWord(a.Type, rest); err != nil {
				return fmt.Errorf("data: %s: %w", a.Name, err)
			}
			continue
		}
		if tail, err = dynamicTail(raw, rest[:32], tail); err != nil {
			return fmt.Errorf("data: %s: %w", a.Name, err)
		}
		rest = rest[32:]
	}
	if tail != len(raw) {
		return fmt.Errorf("data is not in canonical ABI encoding (%d bytes, canonical %d)", len(raw), tail)
	}
	return nil
}

// dynamicTail checks a string or bytes whose head word is offset and
// whose tail must start at tail, and returns where the next tail starts.
func dynamicTail(raw, offset []byte, tail int) (int, error) {
	if !isZero(offset[:24]) || binary.BigEndian.Uint64(offset[24:]) != uint64(tail) {
		return 0, fmt.Errorf("data is not in canonical ABI encoding (offset %x, canonical %d)", offset, tail)
	}
	if len(raw)-tail < 32 {
		return 0, fmt.Errorf("data is not in canonical ABI encoding (ends inside a length)")
	}
	word := raw[tail : tail+32]
	n := binary.BigEndian.Uint64(word[24:])
	padded := (n + 31) / 32 * 32
	if !isZero(word[:24]) || n > uint64(len(raw)-tail-32) || padded > uint64(len(raw)-tail-32) {
		return 0, fmt.Errorf("data is not in canonical ABI encoding (length %x past the end)", word)
	}
	body := raw[tail+32 : tail+32+int(padded)]
	if !isZero(body[n:]) {
		return 0, fmt.Errorf("data is not in canonical ABI encoding (dirty padding after %d bytes)", n)
	}
	return tail + 32 + int(padded), nil
}

// staticWord checks the words of one fixed-size value at the start of b
// and returns what follows them.
func staticWord(t abi.Type, b []byte) ([]byte, error) {
	switch t.T {
	case abi.ArrayTy:
		for range t.Size {
			var err error
			if b, err = staticWord(*t.Elem, b); err != nil {
				return nil, err
			}
		}
		return b, nil
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			var err error
			if b, err = staticWord(*e, b); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	if len(b) < 32 {
		return nil, fmt.Errorf("data is not in canonical ABI encoding (ends inside a %s)", t)
	}
	w := b[:32]
	ok := true
	switch t.T {
	case abi.UintTy:
		ok = isZero(w[:32-t.Size/8])
	case abi.IntTy:
		pad := byte(0)
		if w[32-t.Size/8]&0x80 != 0 {
			pad = 0xff
		}
		for _, c := range w[:32-t.Size/8] {
			ok = ok && c == pad
		}
	case abi.AddressTy:
		ok = isZero(w[:12])
	case abi.BoolTy:
		ok = isZero(w[:31]) && w[31] <= 1
	case abi.FixedBytesTy:
		ok = isZero(w[t.Size:])
	}
	if !ok {
		return nil, fmt.Errorf("data is not in canonical ABI encoding (a %s with dirty padding)", t)
	}
	return b[32:], nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func jobIDOf(v *big.Int) (gpumarket.JobID, error) {
	if v == nil || v.Sign() < 0 || !v.IsUint64() {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "job id %v does not fit in 64 bits", v)
	}
	return gpumarket.JobID(v.Uint64()), nil
}

func payoutOf(p bindings.Payout) gpumarket.Payout {
	return gpumarket.Payout{Treasury: gpumarket.Address(p.Treasury), ProtocolFee: p.ProtocolFee,
		CreatorAmount: p.CreatorAmount, ProviderAmount: p.ProviderAmount, ClientRefund: p.ClientRefund}
}

func configEvent(name string, kv ...string) *gpumarket.MarketConfigEvent {
	f := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return &gpumarket.MarketConfigEvent{Name: name, Fields: f}
}

func addressText(a common.Address) string { return gpumarket.Address(a).String() }
func hashText(h [32]byte) string          { return gpumarket.Hash(h).String() }
