package market_test

import (
	"bytes"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// The indexer uses the decoder through its Decoder interface.
var _ indexer.Decoder = (*market.Decoder)(nil)

// mkRealLogs runs one job through create, accept, submit, dispute,
// resolution with a slash, withdrawals, and a provider's full registry
// cycle, and returns the harness with every log of the two contracts
// (h.logs) and all logs of the token contracts too.
func mkRealLogs(tb testing.TB) (h *mkHarness, tokenLogs []gpumarket.Log) {
	tb.Helper()
	h = mkNew(tb, ethtest.SystemConfig{})
	h.registerProvider(mkStake)
	p := &eip712.JobParams{Kind: gpumarket.JobKindRender, Token: h.usdt(), MaxPayment: mkMaxPayment, Deadline: h.now() + 1800,
		Creator: h.addr(mkCreator), CreatorShareBps: 100, SpecHash: gpumarket.Hash{9}, SpecURI: "ipfs://spec"}
	id := h.createJob(p)
	h.assign(id, mkPrice)
	h.submit(id, mkAmountDue)
	h.dispute(id, gpumarket.Hash{1})
	h.send("resolveDispute", h.s.Arbiter)(h.m.ResolveDispute(h.job(id), big.NewInt(5), mkE18, big.NewInt(0)))
	id2 := h.createJob(p)
	h.send("cancelJob", mkClient)(h.m.CancelJob(h.job(id2)))
	id3 := h.createJob(p)
	h.assign(id3, mkPrice)
	h.submit(id3, mkAmountDue)
	h.send("settle", mkClient)(h.m.Settle(h.job(id3)))
	id4 := h.createJob(p)
	h.wait(1801)
	h.send("refund", mkAnyone)(h.m.Refund(h.job(id4)))
	h.withdrawAll(h.usdt(), mkClient, mkOperator)
	h.send("update", mkOperator)(h.m.Update(h.addr(mkSigner), gpumarket.Hash{2}, h.now()+9000, "ipfs://m2"))
	h.send("deactivate", mkOperator)(h.m.SetActive(false))
	h.send("activate", mkOperator)(h.m.SetActive(true))
	h.send("requestUnstake", mkOperator)(h.m.RequestUnstake(mkE18))
	h.wait(h.s.Config.UnbondingPeriod)
	h.send("withdrawStake", mkOperator)(h.m.WithdrawStake())
	h.send("cancelOrderNonce", mkClient)(h.m.CancelOrderNonce(big.NewInt(3)))
	r, _ := h.send("approve", mkClient)(h.m.Approve(h.usdt(), h.m.Address(), big.NewInt(1)))
	tokenLogs = r.Logs
	return h, tokenLogs
}

func mkByName(tb testing.TB, h *mkHarness) map[string]gpumarket.Log {
	tb.Helper()
	out := map[string]gpumarket.Log{}
	for _, l := range h.logs {
		ev, err := h.dec.Decode(l)
		if err != nil || ev == nil {
			tb.Fatalf("decode real log: %v, %v", ev, err)
		}
		if _, ok := out[ev.EventName()]; !ok {
			out[ev.EventName()] = l
		}
	}
	return out
}

func mkClone(l gpumarket.Log) gpumarket.Log {
	l.Topics = slices.Clone(l.Topics)
	l.Data = slices.Clone(l.Data)
	return l
}

// TestDecoderCoversEveryEvent checks that the decoder knows every event in
// both contracts' ABIs, and that each event a real run emitted decodes to a
// domain event of that name.
func TestDecoderCoversEveryEvent(t *testing.T) {
	var abiNames []string
	for name := range bindings.NewJobMarketplace().GetABI().Events {
		abiNames = append(abiNames, name)
	}
	for name := range bindings.NewProviderRegistry().GetABI().Events {
		abiNames = append(abiNames, name)
	}
	dec := market.NewDecoder(gpumarket.Address{1}, gpumarket.Address{2})
	got := dec.EventNames()
	sort.Strings(abiNames)
	sort.Strings(got)
	if !slices.Equal(got, abiNames) {
		t.Fatalf("decoder events %v, ABI events %v", got, abiNames)
	}

	h, _ := mkRealLogs(t)
	seen := mkByName(t, h)
	for _, want := range []string{"JobCreated", "JobAccepted", "JobCancelled", "ResultSubmitted", "JobSettled", "JobDisputed",
		"JobDisputeResolved", "JobRefunded", "Withdrawn", "OrderNonceCancelled", "ProviderRegistered", "ProviderUpdated",
		"ProviderActivated", "ProviderDeactivated", "Staked", "UnstakeRequested", "StakeWithdrawn", "ProviderSlashed",
		"CompensationWithdrawn"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("the real run emitted no %s (seen %v)", want, h.eventNames())
		}
	}
}

// TestDecodeSynthetic decodes the OpenZeppelin events the deployed system
// never emits (RoleAdminChanged, EIP712DomainChanged) from logs encoded
// with the ABI.
func TestDecodeSynthetic(t *testing.T) {
	marketAddr := gpumarket.Address{0xaa}
	dec := market.NewDecoder(marketAddr, gpumarket.Address{0xbb})
	evs := bindings.NewJobMarketplace().GetABI().Events
	role := crypto.Keccak256Hash([]byte("MATCHER_ROLE"))
	tests := []struct {
		name   string
		l      gpumarket.Log
		fields map[string]string
	}{
		{"RoleAdminChanged", gpumarket.Log{Address: marketAddr, Topics: []gpumarket.Hash{gpumarket.Hash(evs["RoleAdminChanged"].ID), gpumarket.Hash(role), {}, {7}}},
			map[string]string{"role": gpumarket.Hash(role).String(), "previousAdminRole": gpumarket.Hash{}.String(), "newAdminRole": gpumarket.Hash{7}.String()}},
		{"EIP712DomainChanged", gpumarket.Log{Address: marketAddr, Topics: []gpumarket.Hash{gpumarket.Hash(evs["EIP712DomainChanged"].ID)}}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := dec.Decode(tt.l)
			c, ok := ev.(*gpumarket.MarketConfigEvent)
			if err != nil || !ok || c.Name != tt.name || len(c.Fields) != len(tt.fields) {
				t.Fatalf("Decode = %#v, %v", ev, err)
			}
			for k, v := range tt.fields {
				if c.Fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, c.Fields[k], v)
				}
			}
		})
	}
}

// TestDecodeMalformed mutates real logs: foreign logs must be ignored
// (nil, nil); every malformed encoding of a known event, and every value out
// of range, must be an EINVALID error.
func TestDecodeMalformed(t *testing.T) {
	h, tokenLogs := mkRealLogs(t)
	real := mkByName(t, h)
	dec := h.dec
	word := func(b byte) []byte { w := make([]byte, 32); w[31] = b; return w }
	big64 := gpumarket.Hash{}
	big64[23] = 1 // 2^64
	tests := []struct {
		name    string
		event   string
		mutate  func(l *gpumarket.Log)
		ignored bool // (nil, nil) instead of an error
	}{
		{"unknown topic0", "JobSettled", func(l *gpumarket.Log) { l.Topics[0][0] ^= 1 }, true},
		{"no topics", "JobSettled", func(l *gpumarket.Log) { l.Topics = nil }, true},
		{"market event from the registry", "JobSettled", func(l *gpumarket.Log) { l.Address = h.m.RegistryAddress() }, true},
		{"registry event from another contract", "Staked", func(l *gpumarket.Log) { l.Address = h.usdt() }, true},
		{"truncated data", "JobCreated", func(l *gpumarket.Log) { l.Data = l.Data[:len(l.Data)-1] }, false},
		{"trailing word", "JobCreated", func(l *gpumarket.Log) { l.Data = append(l.Data, word(0)...) }, false},
		{"empty data", "JobSettled", func(l *gpumarket.Log) { l.Data = nil }, false},
		{"missing topic", "JobAccepted", func(l *gpumarket.Log) { l.Topics = l.Topics[:3] }, false},
		{"extra topic", "Withdrawn", func(l *gpumarket.Log) { l.Topics = append(l.Topics, gpumarket.Hash{}) }, false},
		{"dirty address topic", "JobAccepted", func(l *gpumarket.Log) { l.Topics[2][0] = 1 }, false},
		{"dirty address in data", "JobAccepted", func(l *gpumarket.Log) { l.Data[32] = 1 }, false},
		{"job id 2^64 (topic)", "JobAccepted", func(l *gpumarket.Log) { l.Topics[1] = big64 }, false},
		{"job id 2^64 (JobCreated)", "JobCreated", func(l *gpumarket.Log) { l.Topics[1] = big64 }, false},
		{"job id 2^64 (ProviderSlashed)", "ProviderSlashed", func(l *gpumarket.Log) { l.Topics[3] = big64 }, false},
		{"price beyond uint128", "JobAccepted", func(l *gpumarket.Log) { l.Data[15] = 1 }, false},
		{"challengeEnd beyond uint40", "ResultSubmitted", func(l *gpumarket.Log) { l.Data[5*32+26] = 1 }, false},
		{"bool 2", "JobDisputeResolved", func(l *gpumarket.Log) { l.Data[len(l.Data)-1] = 2 }, false},
		{"client topic contradicts the job", "JobCreated", func(l *gpumarket.Log) { l.Topics[2][31] ^= 1 }, false},
		{"job created in a later state", "JobCreated", func(l *gpumarket.Log) { l.Data[4*32+31] = 2 }, false},
		{"string offset out of range", "ProviderRegistered", func(l *gpumarket.Log) { l.Data[2*32+30] = 0xff }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig, ok := real[tt.event]
			if !ok {
				t.Fatalf("no real %s log", tt.event)
			}
			if ev, err := dec.Decode(orig); err != nil || ev == nil {
				t.Fatalf("unmutated %s: %v, %v", tt.event, ev, err)
			}
			l := mkClone(orig)
			tt.mutate(&l)
			ev, err := dec.Decode(l)
			if tt.ignored {
				if ev != nil || err != nil {
					t.Fatalf("Decode = %v, %v, want nil, nil", ev, err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || ev != nil {
				t.Fatalf("Decode = %#v, %v, want an EINVALID error", ev, err)
			}
		})
	}
	for _, l := range tokenLogs {
		if ev, err := dec.Decode(l); ev != nil || err != nil {
			t.Fatalf("token log %v decoded to %v, %v, want nil, nil", l.Topics, ev, err)
		}
	}
}

// FuzzDecode feeds the decoder real logs of both contracts, mutated by the
// fuzzer (topics, data and which contract emitted it): it must never panic,
// must return nil, nil for foreign logs, and a decoded log must stop
// decoding once a byte is appended to its data (only canonical encodings
// pass). Run it with go test -fuzz FuzzDecode ./internal/eth.
func FuzzDecode(f *testing.F) {
	h, _ := mkRealLogs(f)
	for _, l := range h.logs {
		var topics []byte
		for _, t := range l.Topics {
			topics = append(topics, t[:]...)
		}
		which := byte(0)
		if l.Address == h.m.RegistryAddress() {
			which = 1
		}
		f.Add(which, topics, l.Data)
	}
	marketAddr, registry := h.m.Address(), h.m.RegistryAddress()
	dec := market.NewDecoder(marketAddr, registry)
	old := market.NewDecoderViaBindings(marketAddr, registry)
	f.Fuzz(func(t *testing.T, which byte, topics, data []byte) {
		l := gpumarket.Log{Address: marketAddr, Data: data}
		switch which % 3 {
		case 1:
			l.Address = registry
		case 2:
			l.Address = gpumarket.Address{0xee}
		}
		for len(topics) >= 32 {
			l.Topics = append(l.Topics, gpumarket.Hash(topics[:32]))
			topics = topics[32:]
		}
		ev, err := dec.Decode(l)
		// The job events' word readers (words.go) agree with the bindings.
		if want, wantErr := old.Decode(l); !reflect.DeepEqual(ev, want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("Decode = %+v, %v; via the bindings %+v, %v", ev, err, want, wantErr)
		}
		if which%3 == 2 && (ev != nil || err != nil) {
			t.Fatalf("foreign log decoded: %v, %v", ev, err)
		}
		if err != nil {
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || ev != nil {
				t.Fatalf("Decode error %v with event %v, want EINVALID and no event", err, ev)
			}
			return
		}
		if ev == nil {
			return
		}
		longer := l
		longer.Data = append(bytes.Clone(l.Data), 0)
		if ev2, err := dec.Decode(longer); err == nil {
			t.Fatalf("%s with a byte appended still decodes: %v", ev.EventName(), ev2)
		}
	})
}

// TestWordsMatchBindingsOnRealLogs decodes the logs of a real job and
// provider lifecycle on anvil, and copies of them with one byte of the
// data or topics changed, with the job events' word readers (words.go)
// and through the bindings: the same event or the same error each time.
func TestWordsMatchBindingsOnRealLogs(t *testing.T) {
	h, _ := mkRealLogs(t)
	dec := h.dec
	old := market.NewDecoderViaBindings(h.m.Address(), h.m.RegistryAddress())
	r := rand.New(rand.NewPCG(18, 4))
	check := func(l gpumarket.Log) {
		t.Helper()
		got, gotErr := dec.Decode(l)
		want, wantErr := old.Decode(l)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("Decode(topics %x, data %x) = %+v, %v; via the bindings %+v, %v", l.Topics, l.Data, got, gotErr, want, wantErr)
		}
	}
	words := 0
	for _, l := range h.logs {
		check(l)
		if ev, _ := dec.Decode(l); ev != nil && strings.HasPrefix(ev.EventName(), "Job") || ev != nil && ev.EventName() == "ResultSubmitted" {
			words++
		}
		for range 300 {
			m := mkClone(l)
			if len(m.Data) > 0 && r.IntN(4) > 0 {
				m.Data[r.IntN(len(m.Data))] = byte(r.Uint32())
			} else {
				m.Topics[r.IntN(len(m.Topics))][r.IntN(32)] = byte(r.Uint32())
			}
			check(m)
		}
	}
	if words < 8 {
		t.Fatalf("%d real logs of the job events words.go reads, want at least one of each of the 8", words)
	}
}
