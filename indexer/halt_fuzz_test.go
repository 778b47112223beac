package indexer_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// packLog ABI-encodes event ev of contract at with the named values, as the
// contract would emit it: indexed inputs as topics, the rest as data.
func packLog(tb testing.TB, at gpumarket.Address, ev abi.Event, values map[string]any) gpumarket.Log {
	tb.Helper()
	l := gpumarket.Log{Address: at, Topics: []gpumarket.Hash{gpumarket.Hash(ev.ID)}}
	var data []any
	for _, in := range ev.Inputs {
		v, ok := values[in.Name]
		if !ok {
			tb.Fatalf("packLog %s: no value for %s", ev.Name, in.Name)
		}
		if !in.Indexed {
			data = append(data, v)
			continue
		}
		topics, err := abi.MakeTopics([]any{v})
		if err != nil {
			tb.Fatalf("packLog %s: topic %s: %v", ev.Name, in.Name, err)
		}
		l.Topics = append(l.Topics, gpumarket.Hash(topics[0][0]))
	}
	var err error
	if l.Data, err = ev.Inputs.NonIndexed().Pack(data...); err != nil {
		tb.Fatalf("packLog %s: %v", ev.Name, err)
	}
	return l
}

// FuzzDecodeStoreStrings drives arbitrary bytes in every string field the
// contracts emit (specURI, resultURI, metadataURI) through the real path:
// ABI-encoded logs, the decoder, the indexer store's commit into PostgreSQL,
// a rewind that folds the job again from its stored payloads, and the chain
// state reader. Every commit must succeed and every byte come back.
func FuzzDecodeStoreStrings(f *testing.F) {
	for _, seed := range [][3]string{
		{"ipfs://spec", "https://r/1", "ipfs://meta"},
		{"ipfs://spec\x00tail", "bad\xffutf8", "\x00"},
		{"", "", ""},
		{`\x00`, `\\`, "é\xc3"},
		{"\xed\xa0\x80", "\x00\x00\x00", "\xff"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	marketAddr, registry := gpumarket.Address{0xaa}, gpumarket.Address{0xbb}
	dec := market.NewDecoder(marketAddr, registry)
	mEvents, rEvents := bindings.NewJobMarketplace().GetABI().Events, bindings.NewProviderRegistry().GetABI().Events
	db := pgtest.New(f)
	store, state := postgres.NewIndexerStore(db), postgres.NewChainState(db, 1)
	ctx := context.Background()
	if err := store.AcquireLease(ctx, 1, "fuzz", time.Hour); err != nil {
		f.Fatal(err)
	}
	client, token := common.Address{0xc1}, common.Address{0x70}
	parent := gpumarket.Block{Hash: gpumarket.Hash{0xee}}
	next := int64(0)
	commit := func(t *testing.T, logs ...gpumarket.Log) gpumarket.Block {
		b := gpumarket.Block{Number: parent.Number + 1, ParentHash: parent.Hash, Time: 1_700_000_000 + parent.Number}
		b.Hash = gpumarket.Hash{byte(b.Number >> 8), byte(b.Number), 0xbb}
		batch := &indexer.Batch{ChainID: 1, Owner: "fuzz", From: b.Number, To: b.Number, Block: b}
		for i, l := range logs {
			l.BlockNumber, l.BlockHash, l.BlockTime, l.Index, l.TxHash = b.Number, b.Hash, b.Time, uint(i), gpumarket.Hash{byte(i), 0x7a}
			ev, err := dec.Decode(l)
			if err != nil || ev == nil {
				t.Fatalf("decode %d: %v, %v", i, ev, err)
			}
			batch.Logs, batch.Events = append(batch.Logs, l), append(batch.Events, ev)
		}
		if err := store.Commit(ctx, batch); err != nil {
			t.Fatalf("commit block %d: %v", b.Number, err)
		}
		old := parent
		parent = b
		return old
	}
	f.Fuzz(func(t *testing.T, spec, result, metadata string) {
		next++
		id := big.NewInt(next)
		provider := common.Address{0xd1, byte(next >> 16), byte(next >> 8), byte(next)} // registered once each
		job := bindings.Job{Client: client, Token: token, MaxPayment: big.NewInt(1000), Kind: 3, State: 1, Deadline: big.NewInt(1_800_000_000),
			FeeBps: 250, Price: new(big.Int), AmountDue: new(big.Int), ChallengeEnd: new(big.Int), DisputedAt: new(big.Int), DisputeBond: new(big.Int)}
		created := packLog(t, marketAddr, mEvents["JobCreated"], map[string]any{"jobId": id, "client": client, "token": token, "job": job,
			"specURI": spec, "orderNonce": gpumarket.MaxUint256})
		registered := packLog(t, registry, rEvents["ProviderRegistered"], map[string]any{"provider": provider, "signer": provider,
			"attestationHash": [32]byte{1}, "attestationExpiry": big.NewInt(1_900_000_000), "metadataURI": metadata})
		accepted := packLog(t, marketAddr, mEvents["JobAccepted"], map[string]any{"jobId": id, "client": client, "provider": provider,
			"price": big.NewInt(900), "reservedStake": big.NewInt(10), "signer": provider, "matcher": common.Address{}})
		submitted := packLog(t, marketAddr, mEvents["ResultSubmitted"], map[string]any{"jobId": id, "client": client, "provider": provider,
			"resultHash": [32]byte{2}, "resultURI": result, "usage": bindings.Usage{Units: 1, ExtraUnits: 2}, "amountDue": big.NewInt(900),
			"challengeEnd": big.NewInt(1_800_000_100)})
		commit(t, created, registered)
		commit(t, accepted)
		before := commit(t, submitted)
		check := func(wantResult gpumarket.ChainString) {
			j, err := state.Job(ctx, gpumarket.JobID(next))
			if err != nil {
				t.Fatalf("read job: %v", err)
			}
			if j.SpecURI != gpumarket.ChainString(spec) || j.ResultURI != wantResult {
				t.Fatalf("job spec %q result %q, want %q %q", j.SpecURI, j.ResultURI, spec, wantResult)
			}
			p, err := state.Provider(ctx, gpumarket.Address(provider))
			if err != nil || p.MetadataURI != gpumarket.ChainString(metadata) {
				t.Fatalf("provider metadata %q (%v), want %q", p.MetadataURI, err, metadata)
			}
		}
		check(gpumarket.ChainString(result))
		// Rewind the submission: the job is folded again from stored payloads.
		head := parent
		if err := store.Rewind(ctx, &indexer.Rewind{ChainID: 1, Owner: "fuzz", Ancestor: before, Depth: 1, OldHead: head.Hash}); err != nil {
			t.Fatalf("rewind: %v", err)
		}
		parent = before
		check("")
		commit(t, submitted)
		check(gpumarket.ChainString(result))
	})
}
