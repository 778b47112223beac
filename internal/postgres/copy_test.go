package postgres_test

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// rangeBatches returns backfill-like ranges of four blocks: each job is
// created, accepted, submitted and settled in consecutive blocks (so
// some cross a range), with a withdrawal, provider events, a config
// event, an unknown log and logs without data or topics among them.
func rangeBatches(ranges int) []*indexer.Batch {
	huge, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10)
	var out []*indexer.Batch
	parent := gpumarket.Block{Number: 0, Hash: gpumarket.Hash{0xee}, Time: 1_700_000_000}
	const fin = 1 << 20 // every range below finality, as in a backfill
	for r := range ranges {
		b := &indexer.Batch{ChainID: 1, Owner: "test", From: parent.Number + 1, To: parent.Number + 4, Finalized: fin}
		for n := b.From; n <= b.To; n++ {
			blk := gpumarket.Block{Number: n, ParentHash: parent.Hash, Time: parent.Time + 12, Hash: gpumarket.Hash{byte(n), byte(n >> 8), 0xbb}}
			var evs []gpumarket.Event
			id := gpumarket.JobID(n) // job n is created in block n and settled in block n+3
			evs = append(evs, created(id, int64(n)*1000, fmt.Sprintf("ipfs://spec-%d", n)))
			if n > 1 {
				evs = append(evs, &gpumarket.JobAccepted{ID: id - 1, Client: client, Provider: provider, Price: big.NewInt(int64(n)), ReservedStake: big.NewInt(3),
					Signer: gpumarket.Address{0x51}, Matcher: gpumarket.Address{0x52}})
			}
			if n > 2 {
				evs = append(evs, &gpumarket.ResultSubmitted{ID: id - 2, Client: client, Provider: provider, ResultHash: gpumarket.Hash{byte(n)},
					ResultURI: gpumarket.ChainString("ipfs://r\x00\xff"), AmountDue: big.NewInt(int64(n) - 2), ChallengeEnd: 1_700_001_000, Usage: gpumarket.Usage{Units1: n, Units2: 1 << 63}})
			}
			if n > 3 {
				evs = append(evs, &gpumarket.JobSettled{ID: id - 3, Client: client, Provider: provider, Token: usdt, SettledBy: client,
					Payout: gpumarket.Payout{Treasury: gpumarket.Address{0x7e}, ProtocolFee: big.NewInt(1), CreatorAmount: new(big.Int), ProviderAmount: huge, ClientRefund: big.NewInt(2)}})
			}
			switch n % 4 {
			case 0:
				evs = append(evs, &gpumarket.Withdrawn{Account: client, Token: usdt, Amount: huge}, nil)
			case 1:
				evs = append(evs, &gpumarket.StakeChanged{Name: "Staked", Provider: provider, Amount: big.NewInt(int64(n)), Stake: huge})
			case 2:
				evs = append(evs, &gpumarket.ProviderRegistered{Provider: provider, Signer: gpumarket.Address{0x51}, AttestationHash: gpumarket.Hash{byte(r)},
					AttestationExpiry: 1_900_000_000, MetadataURI: "ipfs://m", Update: n > 2})
			case 3:
				evs = append(evs, &gpumarket.MarketConfigEvent{Name: "ProtocolFeeUpdated", Fields: map[string]string{"feeBps": "250"}})
			}
			for i, ev := range evs {
				l := gpumarket.Log{BlockNumber: n, BlockHash: blk.Hash, BlockTime: blk.Time, TxHash: gpumarket.Hash{byte(i), byte(n)}, TxIndex: uint(i),
					Index: uint(i), Address: gpumarket.Address{0xaa}, Topics: []gpumarket.Hash{{0x01}, {byte(i)}}, Data: []byte{byte(n), 1, 2}}
				switch i % 5 {
				case 3:
					l.Data = nil // "0x"
				case 4:
					l.Topics = nil // anonymous
				}
				b.Logs, b.Events = append(b.Logs, l), append(b.Events, ev)
			}
			parent = blk
		}
		b.Block = parent
		out = append(out, b)
	}
	return out
}

// tableDump returns every row of the tables a commit writes, as text, in
// a fixed order.
func tableDump(t *testing.T, db *postgres.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, order := range map[string]string{"logs": "block_number, log_index", "job_events": "block_number, log_index",
		"provider_events": "block_number, log_index", "market_events": "block_number, log_index", "jobs": "job_id", "providers": "provider",
		"blocks": "number", "indexer_cursors": "chain_id"} {
		var rows []string
		err := db.QueryRows(context.Background(), fmt.Sprintf(`SELECT to_jsonb(t) - 'updated_at' - 'indexed_at' FROM %s t ORDER BY %s`, table, order), nil, func(s string) { rows = append(rows, s) })
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// TestPreparedCommitStoresTheSame commits the same backfill ranges into
// two databases, as they come and prepared ahead (Prepare: rows encoded,
// logs, events and the rows of the jobs created in the range as COPY
// streams once a commit has read the column types), and requires every row of every table a commit writes to be
// equal.
func TestPreparedCommitStoresTheSame(t *testing.T) {
	ctx := context.Background()
	batches := rangeBatches(6)
	var dumps []map[string][]string
	for _, prepare := range []bool{false, true} {
		db := pgtest.New(t)
		store := postgres.NewIndexerStore(db)
		if err := store.AcquireLease(ctx, 1, "test", time.Minute); err != nil {
			t.Fatal(err)
		}
		streams := 0
		for _, b := range batches {
			b := *b
			if prepare {
				b.Prepared = store.Prepare(&b)
				if b.Prepared == nil {
					t.Fatalf("Prepare(%d-%d) = nil", b.From, b.To)
				}
				if postgres.PreparedStreams(b.Prepared) {
					streams++
				}
			}
			if err := store.Commit(ctx, &b); err != nil {
				t.Fatalf("commit %d-%d (prepared %v): %v", b.From, b.To, prepare, err)
			}
		}
		if prepare && streams != len(batches)-1 {
			t.Fatalf("%d of %d prepared batches carried COPY streams, want all but the first", streams, len(batches))
		}
		dumps = append(dumps, tableDump(t, db))
	}
	for table, rows := range dumps[0] {
		if len(rows) == 0 {
			t.Fatalf("table %s is empty: the batches test nothing there", table)
		}
		if !reflect.DeepEqual(rows, dumps[1][table]) {
			t.Fatalf("table %s differs:\nas they come %v\nprepared     %v", table, rows, dumps[1][table])
		}
	}
}
