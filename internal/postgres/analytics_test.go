package postgres_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// The analytics fixture: a small market on chain 31337 over two UTC days.
// Token A has 6 decimals (amounts in the millions), token B 18 (amounts above
// 2^53, so float rounding anywhere would show). Blocks are 2 s apart; the
// finalized block is the last one of day 1, so day-1 rows are final and
// day-2 rows are not.

var anT0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const (
	day           = 86400
	anFinalized   = 1000 + (day-1)/2
	anCursorBlock = 1000 + (day+7000)/2
)

// Single-byte names of the fixture's addresses; an address is its byte
// repeated 20 times.
const (
	aP1 byte = 0x11 // providers
	aP2 byte = 0x22
	aP3 byte = 0x33
	aS1 byte = 0x51 // their signers
	aS2 byte = 0x52
	aS3 byte = 0x53
	aC1 byte = 0xc1 // clients
	aC2 byte = 0xc2
	aTR byte = 0x7e // treasury
	aCR byte = 0xcc // model creator
	aAR byte = 0xa4 // arbiter
	aKP byte = 0x4b // keeper that settles and refunds for others
	aMT byte = 0x3a // matcher
	aTA byte = 0xaa // token A
	aTB byte = 0xbb // token B
	aMK byte = 0xe1 // marketplace contract
	aRG byte = 0xe2 // registry contract
)

var anNames = map[byte]string{aP1: "P1", aP2: "P2", aP3: "P3", aS1: "S1", aS2: "S2", aS3: "S3", aC1: "C1", aC2: "C2",
	aTR: "TR", aCR: "CR", aAR: "AR", aKP: "KP", aMT: "MT", aTA: "TA", aTB: "TB", aMK: "MK", aRG: "RG"}

func addr(b byte) []byte { return bytes.Repeat([]byte{b}, 20) }

func addrOrNil(b byte) any {
	if b == 0 {
		return nil
	}
	return addr(b)
}

func hexAddr(b byte) string { return "0x" + hex.EncodeToString(addr(b)) }

// hash32 makes a distinct 32-byte hash from a tag and a number.
func hash32(tag byte, n int64) []byte {
	h := make([]byte, 32)
	h[0] = tag
	for i := 0; i < 8; i++ {
		h[31-i] = byte(n >> (8 * i))
	}
	return h
}

func blockOf(offset int64) int64 { return 1000 + offset/2 }

func numOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeOrNil(offset int64) any {
	if offset == 0 {
		return nil
	}
	return anT0.Add(time.Duration(offset) * time.Second)
}

// anJob is one job of the fixture: its final jobs row, from which its events
// are derived. Offsets are seconds after anT0; 0 means the transition did
// not happen. Amounts are decimal strings; "" is NULL.
type anJob struct {
	id                                                        int64
	kind, state                                               string
	client, token                                             byte
	max                                                       string
	feeBps, creatorBps                                        int
	creator, preferred, provider, signer, matcher             byte
	price, amountDue                                          string
	units, extra                                              int64
	created, assigned, submitted, disputed, settled, refunded int64
	cancelled                                                 int64
	protocolFee, creatorAmount, providerAmount, clientRefund  string
	refund, slashed                                           string
	arbiter, closedBy                                         byte
	timedOut                                                  bool
}

var anJobs = []anJob{
	// render, settled early by the client: paid 8.0 of 10.0 at 2.5%.
	{id: 1, kind: "render", state: "settled", client: aC1, token: aTA, max: "10000000", feeBps: 250, provider: aP1, signer: aS1, matcher: aMT,
		price: "8000000", amountDue: "8000000", units: 100, extra: 3600, created: 10, assigned: 70, submitted: 610, settled: 3610,
		protocolFee: "200000", creatorAmount: "0", providerAmount: "7800000", clientRefund: "2000000", closedBy: aC1},
	// render, settled by a keeper after the window; claimed less than the price.
	{id: 2, kind: "render", state: "settled", client: aC2, token: aTA, max: "5000000", feeBps: 250, provider: aP2, signer: aS2, matcher: aMT,
		price: "5000000", amountDue: "4000000", units: 40, extra: 1200, created: 20, assigned: 140, submitted: 1220, settled: 7220,
		protocolFee: "100000", creatorAmount: "0", providerAmount: "3900000", clientRefund: "1000000", closedBy: aKP},
	// tts with a model creator (5%).
	{id: 3, kind: "tts", state: "settled", client: aC1, token: aTA, max: "2000000", feeBps: 250, creatorBps: 500, creator: aCR, provider: aP1, signer: aS1, matcher: aMT,
		price: "1500000", amountDue: "1500000", units: 30000, extra: 1800000, created: 30, assigned: 60, submitted: 330, settled: 1830,
		protocolFee: "37500", creatorAmount: "75000", providerAmount: "1387500", clientRefund: "500000", closedBy: aC1},
	// stt, disputed, the arbiter paid 1.2 of the 2.4 claimed and slashed 0.5 of stake.
	{id: 4, kind: "stt", state: "settled", client: aC2, token: aTA, max: "3000000", feeBps: 250, provider: aP3, signer: aS3, matcher: aMT,
		price: "3000000", amountDue: "2400000", units: 1200, extra: 15000, created: 40, assigned: 130, submitted: 940, disputed: 1040, settled: 5040,
		protocolFee: "30000", creatorAmount: "0", providerAmount: "1170000", clientRefund: "1800000", slashed: "500000", arbiter: aAR},
	// llm with a creator (10%).
	{id: 5, kind: "llm", state: "settled", client: aC1, token: aTA, max: "1000000", feeBps: 250, creatorBps: 1000, creator: aCR, provider: aP2, signer: aS2, matcher: aMT,
		price: "800000", amountDue: "600000", units: 20000, extra: 10000, created: 50, assigned: 95, submitted: 450, settled: 4050,
		protocolFee: "15000", creatorAmount: "60000", providerAmount: "525000", clientRefund: "400000", closedBy: aC1},
	// llm, disputed, settled by the timeout rule on day 2 (not final).
	{id: 6, kind: "llm", state: "settled", client: aC2, token: aTA, max: "1000000", feeBps: 250, provider: aP1, signer: aS1, matcher: aMT,
		price: "900000", amountDue: "900000", units: 50000, extra: 10000, created: 60, assigned: 360, submitted: 1560, disputed: 1660, settled: day + 1660,
		protocolFee: "22500", creatorAmount: "0", providerAmount: "877500", clientRefund: "100000", timedOut: true},
	// render, still open.
	{id: 7, kind: "render", state: "open", client: aC1, token: aTA, max: "4000000", feeBps: 250, created: 5000},
	// tts, cancelled by the client.
	{id: 8, kind: "tts", state: "cancelled", client: aC2, token: aTA, max: "1000000", feeBps: 250, created: 100, cancelled: 200,
		refund: "1000000", closedBy: aC2},
	// stt, never accepted, refunded after the deadline on day 2.
	{id: 9, kind: "stt", state: "refunded", client: aC1, token: aTA, max: "2000000", feeBps: 250, created: 150, refunded: day + 100,
		refund: "2000000", slashed: "0", closedBy: aKP},
	// render, accepted directly by the preferred provider, deadline missed: refunded and slashed 1.0.
	{id: 10, kind: "render", state: "refunded", client: aC2, token: aTA, max: "6000000", feeBps: 250, preferred: aP3, provider: aP3, signer: aS3,
		price: "6000000", created: 200, assigned: 800, refunded: day + 500, refund: "6000000", slashed: "1000000", closedBy: aKP},
	// llm in token B (18 decimals) on day 2, 1% fee, settled.
	{id: 11, kind: "llm", state: "settled", client: aC1, token: aTB, max: "5000000000000000000", feeBps: 100, provider: aP2, signer: aS2, matcher: aMT,
		price: "4000000000000000000", amountDue: "4000000000000000000", units: 100000, extra: 100000,
		created: day + 1000, assigned: day + 1060, submitted: day + 2000, settled: day + 5000,
		protocolFee: "40000000000000000", creatorAmount: "0", providerAmount: "3960000000000000000", clientRefund: "1000000000000000000", closedBy: aC1},
	// tts in token B, accepted, in progress.
	{id: 12, kind: "tts", state: "assigned", client: aC2, token: aTB, max: "2000000000000000000", feeBps: 100, provider: aP1, signer: aS1, matcher: aMT,
		price: "2000000000000000000", created: day + 2000, assigned: day + 2120},
}

// anFixture inserts the fixture market into db.
type anFixture struct {
	tb       testing.TB
	db       *postgres.DB
	logIndex int32
}

func (f *anFixture) exec(sql string, args ...any) {
	f.tb.Helper()
	if err := f.db.Exec(context.Background(), sql, args...); err != nil {
		f.tb.Fatalf("%s: %v", strings.Fields(sql)[0:3], err)
	}
}

// log inserts the raw log of an event at offset and returns its key.
func (f *anFixture) log(offset int64, contract byte, event string) (blockHash []byte, index int32) {
	f.tb.Helper()
	f.logIndex++
	n := blockOf(offset)
	blockHash, index = hash32(0xb0, n), f.logIndex
	topic0 := hash32(0x70, int64(len(event)))
	f.exec(`INSERT INTO logs (chain_id, block_hash, log_index, block_number, block_time, tx_hash, tx_index, address, topic0, topics, data, event_name, finalized)
		VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12)`,
		int64(chainID), blockHash, index, n, timeOrNil(offset), hash32(0x7a, int64(index)), addr(contract), topic0, [][]byte{topic0}, []byte{}, event, n <= anFinalized)
	return blockHash, index
}

func (f *anFixture) jobEvent(j anJob, offset int64, event, payload string) {
	f.tb.Helper()
	bh, idx := f.log(offset, aMK, event)
	f.exec(`INSERT INTO job_events (chain_id, block_hash, log_index, job_id, block_number, block_time, tx_hash, event_name, payload, finalized)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
		int64(chainID), bh, idx, j.id, blockOf(offset), timeOrNil(offset), hash32(0x7a, int64(idx)), event, payload, blockOf(offset) <= anFinalized)
}

func (f *anFixture) providerEvent(p byte, offset int64, event, payload string) {
	f.tb.Helper()
	bh, idx := f.log(offset, aRG, event)
	f.exec(`INSERT INTO provider_events (chain_id, block_hash, log_index, provider, block_number, block_time, tx_hash, event_name, payload, finalized)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
		int64(chainID), bh, idx, addr(p), blockOf(offset), timeOrNil(offset), hash32(0x7a, int64(idx)), event, payload, blockOf(offset) <= anFinalized)
}

func (f *anFixture) marketEvent(offset int64, contract byte, event string, account, token byte, amount, payload string) {
	f.tb.Helper()
	bh, idx := f.log(offset, contract, event)
	f.exec(`INSERT INTO market_events (chain_id, block_hash, log_index, block_number, block_time, tx_hash, event_name, account, token, amount, payload, finalized)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11::jsonb, $12)`,
		int64(chainID), bh, idx, blockOf(offset), timeOrNil(offset), hash32(0x7a, int64(idx)), event, addrOrNil(account), addrOrNil(token), numOrNil(amount), payload, blockOf(offset) <= anFinalized)
}

// job inserts j's events and its folded jobs row.
func (f *anFixture) job(j anJob) {
	f.tb.Helper()
	last := j.created
	ev := func(offset int64, name, payload string) {
		if offset == 0 {
			return
		}
		f.jobEvent(j, offset, name, payload)
		last = max(last, offset)
	}
	ev(j.created, "JobCreated", fmt.Sprintf(`{"jobId": "%d", "client": "%s", "token": "%s", "maxPayment": "%s"}`, j.id, hexAddr(j.client), hexAddr(j.token), j.max))
	ev(j.assigned, "JobAccepted", fmt.Sprintf(`{"jobId": "%d", "provider": "%s", "price": "%s"}`, j.id, hexAddr(j.provider), j.price))
	ev(j.submitted, "ResultSubmitted", fmt.Sprintf(`{"jobId": "%d", "amountDue": "%s"}`, j.id, j.amountDue))
	ev(j.disputed, "JobDisputed", fmt.Sprintf(`{"jobId": "%d"}`, j.id))
	if j.disputed != 0 {
		ev(j.settled, "JobDisputeResolved", fmt.Sprintf(`{"jobId": "%d", "timedOut": %t}`, j.id, j.timedOut))
	} else {
		ev(j.settled, "JobSettled", fmt.Sprintf(`{"jobId": "%d"}`, j.id))
	}
	ev(j.refunded, "JobRefunded", fmt.Sprintf(`{"jobId": "%d", "refund": "%s"}`, j.id, j.refund))
	ev(j.cancelled, "JobCancelled", fmt.Sprintf(`{"jobId": "%d", "refund": "%s"}`, j.id, j.refund))

	price, due := j.price, j.amountDue
	if price == "" {
		price = "0"
	}
	if due == "" {
		due = "0"
	}
	var units, extra, challengeEnd, resultHash any
	if j.submitted != 0 {
		units, extra, challengeEnd, resultHash = j.units, j.extra, timeOrNil(j.submitted+3600), hash32(0x5e, j.id)
	}
	var treasury any
	if j.settled != 0 {
		treasury = addr(aTR)
	}
	f.exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
			preferred_provider, creator, spec_hash, spec_uri, provider, price, amount_due, challenge_end, signer, matcher,
			result_hash, usage_units, usage_extra_units, treasury, protocol_fee, creator_amount, provider_amount, client_refund,
			refund, slashed, arbiter, timed_out, closed_by, created_at, assigned_at, submitted_at, dispute_opened_at,
			settled_at, refunded_at, cancelled_at, last_block, finalized, spec_uri_raw)
		VALUES ($1, $2, $3, $4, $5::numeric, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::numeric, $17::numeric, $18, $19, $20,
			$21, $22, $23, $24, $25::numeric, $26::numeric, $27::numeric, $28::numeric, $29::numeric, $30::numeric, $31, $32, $33,
			$34, $35, $36, $37, $38, $39, $40, $41, $42, convert_to($14::text, 'UTF8'))`,
		int64(chainID), j.id, addr(j.client), addr(j.token), j.max, j.kind, j.state, timeOrNil(j.created+day/2), j.feeBps, j.creatorBps,
		addrOrNil(j.preferred), addrOrNil(j.creator), hash32(0x5c, j.id), fmt.Sprintf("ipfs://spec/%d", j.id), addrOrNil(j.provider), price, due, challengeEnd, addrOrNil(j.signer), addrOrNil(j.matcher),
		resultHash, units, extra, treasury, numOrNil(j.protocolFee), numOrNil(j.creatorAmount), numOrNil(j.providerAmount), numOrNil(j.clientRefund),
		numOrNil(j.refund), numOrNil(j.slashed), addrOrNil(j.arbiter), j.timedOut, addrOrNil(j.closedBy),
		timeOrNil(j.created), timeOrNil(j.assigned), timeOrNil(j.submitted), timeOrNil(j.disputed), timeOrNil(j.settled), timeOrNil(j.refunded), timeOrNil(j.cancelled),
		blockOf(last), blockOf(last) <= anFinalized)
}

// newAnalyticsFixture returns a migrated database holding the fixture market.
func newAnalyticsFixture(tb testing.TB) *postgres.DB {
	tb.Helper()
	f := &anFixture{tb: tb, db: pgtest.New(tb)}
	f.exec(`INSERT INTO chains (chain_id, name) VALUES ($1, 'anvil')`, int64(chainID))

	for i, p := range []struct{ op, signer byte }{{aP1, aS1}, {aP2, aS2}, {aP3, aS3}} {
		off := int64(i + 1)
		f.providerEvent(p.op, off, "ProviderRegistered", fmt.Sprintf(`{"provider": "%s", "signer": "%s"}`, hexAddr(p.op), hexAddr(p.signer)))
		f.providerEvent(p.op, off+3, "Staked", fmt.Sprintf(`{"provider": "%s", "amount": "10000000", "stake": "10000000"}`, hexAddr(p.op)))
	}
	for _, j := range anJobs {
		f.job(j)
	}
	// Slashes of P3, credited to C2 in the registry (checksummed case in the payload on purpose).
	f.providerEvent(aP3, 5040, "ProviderSlashed", fmt.Sprintf(`{"provider": "%s", "beneficiary": "%s", "jobId": "4", "requested": "500000", "slashed": "500000", "stake": "9500000", "unbonding": "0"}`,
		hexAddr(aP3), strings.ToUpper(hexAddr(aC2))))
	f.providerEvent(aP3, day+500, "ProviderSlashed", fmt.Sprintf(`{"provider": "%s", "beneficiary": "%s", "jobId": "10", "requested": "1000000", "slashed": "1000000", "stake": "8500000", "unbonding": "0"}`,
		hexAddr(aP3), hexAddr(aC2)))
	for _, p := range []struct {
		op     byte
		stake  string
		slashT string
		last   int64
	}{{aP1, "10000000", "0", 4}, {aP2, "10000000", "0", 5}, {aP3, "8500000", "1500000", day + 500}} {
		f.exec(`INSERT INTO providers (chain_id, provider, signer, metadata_uri, registered, active, stake, unbonding, slashed_total, registered_at, last_block, finalized)
			VALUES ($1, $2, $3, 'https://example.invalid/p', true, true, $4::numeric, 0, $5::numeric, $6, $7, $8)`,
			int64(chainID), addr(p.op), addr(p.op+0x40), p.stake, p.slashT, anT0, blockOf(p.last), blockOf(p.last) <= anFinalized)
	}

	f.marketEvent(50, aMK, "ProtocolFeeUpdated", 0, 0, "", `{"previousBps": "200", "newBps": "250"}`)
	f.marketEvent(4100, aMK, "Withdrawn", aP1, aTA, "7800000", `{}`)
	f.marketEvent(6000, aRG, "CompensationWithdrawn", aC2, 0, "500000", `{}`)
	f.marketEvent(7000, aMK, "Withdrawn", aTR, aTA, "300000", `{}`)
	f.marketEvent(8000, aMK, "Withdrawn", aC2, aTA, "1000000", `{}`)
	f.marketEvent(day+6000, aMK, "Withdrawn", aP2, aTA, "4425000", `{}`)

	f.exec(`INSERT INTO blocks (chain_id, number, hash, parent_hash, block_time, finalized) VALUES ($1, $2, $3, $4, $5, false)`,
		int64(chainID), int64(anCursorBlock), hash32(0xb0, anCursorBlock), hash32(0xb0, anCursorBlock-1), timeOrNil(day+7000))
	f.exec(`INSERT INTO indexer_cursors (chain_id, block_number, block_hash, finalized_number) VALUES ($1, $2, $3, $4)`,
		int64(chainID), int64(anCursorBlock), hash32(0xb0, anCursorBlock), int64(anFinalized))
	f.exec(`INSERT INTO indexer_reorgs (chain_id, ancestor, ancestor_hash, depth, old_head_hash, logs_removed) VALUES ($1, $2, $3, 2, $4, 1)`,
		int64(chainID), int64(anCursorBlock-2), hash32(0xb0, anCursorBlock-2), hash32(0xdd, 1))
	seedRailJobs(tb, f.db)
	return f.db
}

var hexAddrRE = regexp.MustCompile(`0x([0-9a-f]{2})([0-9a-f]{2}){19}`)

// readable replaces the fixture's addresses with their names.
func readable(s string) string {
	return hexAddrRE.ReplaceAllStringFunc(s, func(a string) string {
		b, _ := hex.DecodeString(a[2:4])
		if n, ok := anNames[b[0]]; ok && a == hexAddr(b[0]) {
			return n
		}
		return a
	})
}

// queryText runs a query that returns one text value (NULL as "<null>").
func queryText(tb testing.TB, db *postgres.DB, sql string, args ...any) string {
	tb.Helper()
	var s *string
	if err := db.QueryRow(context.Background(), sql, args, &s); err != nil {
		tb.Fatalf("query %q: %v", sql, err)
	}
	if s == nil {
		return "<null>"
	}
	return *s
}

// TestAnalyticsViews checks every view's rows on the fixture against values
// worked out by hand (see the comments of anJobs).
func TestAnalyticsViews(t *testing.T) {
	db := newAnalyticsFixture(t)
	tests := []struct {
		name string
		sql  string // one text value: the view's rows, one per line
		want string
	}{
		{"v_jobs", `SELECT string_agg(concat_ws(' ', job_id, kind, state, client, token, provider, max_payment, extract(epoch FROM to_accept)::bigint,
				extract(epoch FROM to_result)::bigint, extract(epoch FROM to_close)::bigint, finalized), E'\n' ORDER BY job_id) FROM v_jobs`,
			`1 render settled C1 TA P1 10000000 60 600 3600 t
2 render settled C2 TA P2 5000000 120 1200 7200 t
3 tts settled C1 TA P1 2000000 30 300 1800 t
4 stt settled C2 TA P3 3000000 90 900 5000 t
5 llm settled C1 TA P2 1000000 45 400 4000 t
6 llm settled C2 TA P1 1000000 300 1500 88000 f
7 render open C1 TA 4000000 t
8 tts cancelled C2 TA 1000000 100 t
9 stt refunded C1 TA 2000000 86350 f
10 render refunded C2 TA P3 6000000 600 86700 f
11 llm settled C1 TB P2 5000000000000000000 60 1000 4000 f
12 tts assigned C2 TB P1 2000000000000000000 120 f`},
		{"v_assignments", `SELECT string_agg(concat_ws(' ', job_id, provider, signer, coalesce(matcher, '-'), direct, price), E'\n' ORDER BY job_id) FROM v_assignments`,
			`1 P1 S1 MT f 8000000
2 P2 S2 MT f 5000000
3 P1 S1 MT f 1500000
4 P3 S3 MT f 3000000
5 P2 S2 MT f 800000
6 P1 S1 MT f 900000
10 P3 S3 - t 6000000
11 P2 S2 MT f 4000000000000000000
12 P1 S1 MT f 2000000000000000000`},
		{"v_results", `SELECT string_agg(concat_ws(' ', job_id, kind, provider, usage_units, usage_extra_units, amount_due, extract(epoch FROM challenge_end - submitted_at)::bigint), E'\n' ORDER BY job_id) FROM v_results`,
			`1 render P1 100 3600 8000000 3600
2 render P2 40 1200 4000000 3600
3 tts P1 30000 1800000 1500000 3600
4 stt P3 1200 15000 2400000 3600
5 llm P2 20000 10000 600000 3600
6 llm P1 50000 10000 900000 3600
11 llm P2 100000 100000 4000000000000000000 3600`},
		{"v_settlements split", `SELECT string_agg(concat_ws(' ', job_id, treasury, coalesce(creator, '-'), paid, protocol_fee, creator_amount, provider_amount, client_refund,
				coalesce(settled_by, '-'), disputed, coalesce(arbiter, '-'), timed_out, finalized), E'\n' ORDER BY job_id) FROM v_settlements`,
			`1 TR - 8000000 200000 0 7800000 2000000 C1 f - f t
2 TR - 4000000 100000 0 3900000 1000000 KP f - f t
3 TR CR 1500000 37500 75000 1387500 500000 C1 f - f t
4 TR - 1200000 30000 0 1170000 1800000 - t AR f t
5 TR CR 600000 15000 60000 525000 400000 C1 f - f t
6 TR - 900000 22500 0 877500 100000 - t - t f
11 TR - 4000000000000000000 40000000000000000 0 3960000000000000000 1000000000000000000 C1 f - f f`},
		// The four parts add up to max_payment for every settled job.
		{"v_settlements parts sum to max_payment", `SELECT count(*) || ' of ' || (SELECT count(*) FROM v_settlements) FROM v_settlements
				WHERE protocol_fee + creator_amount + provider_amount + client_refund = max_payment`, `7 of 7`},
		// The fixture follows the contract's FeeMath.split: fee and creator share rounded down, the provider gets the rest.
		{"v_settlements split follows FeeMath", `SELECT count(*)::text FROM v_settlements s JOIN jobs j USING (chain_id, job_id)
				WHERE s.protocol_fee = floor(s.paid * j.fee_bps / 10000) AND s.creator_amount = floor(s.paid * j.creator_share_bps / 10000)
				  AND s.provider_amount = s.paid - s.protocol_fee - s.creator_amount AND s.paid <= s.amount_due`, `7`},
		{"v_refunds", `SELECT string_agg(concat_ws(' ', job_id, reason, client, coalesce(provider, '-'), refund, slashed, refunded_by, finalized), E'\n' ORDER BY job_id) FROM v_refunds`,
			`8 cancelled C2 - 1000000 0 C2 t
9 expired_unassigned C1 - 2000000 0 KP f
10 expired_assigned C2 P3 6000000 1000000 KP f`},
		{"v_disputes", `SELECT string_agg(concat_ws(' ', job_id, provider, amount_due, resolved, extract(epoch FROM to_resolve)::bigint, coalesce(arbiter, '-'), timed_out, provider_paid, slashed, provider_lost), E'\n' ORDER BY job_id) FROM v_disputes`,
			`4 P3 2400000 t 4000 AR f 1200000 500000 t
6 P1 900000 t 86400 - t 900000 0 f`},
		{"v_slashes", `SELECT string_agg(concat_ws(' ', provider, beneficiary, job_id, requested, slashed, stake_after, unbonding_after, finalized), E'\n' ORDER BY block_number) FROM v_slashes`,
			`P3 C2 4 500000 500000 9500000 0 t
P3 C2 10 1000000 1000000 8500000 0 f`},
		{"v_withdrawals", `SELECT string_agg(concat_ws(' ', ledger, account, coalesce(token, '-'), amount, finalized), E'\n' ORDER BY block_number) FROM v_withdrawals`,
			`marketplace P1 TA 7800000 t
registry C2 - 500000 t
marketplace TR TA 300000 t
marketplace C2 TA 1000000 t
marketplace P2 TA 4425000 f`},
		{"v_balances_owed", `SELECT string_agg(concat_ws(' ', ledger, account, coalesce(token, '-'), credited, withdrawn, owed, finalized), E'\n' ORDER BY ledger, token, account) FROM v_balances_owed`,
			`marketplace P1 TA 10065000 7800000 2265000 f
marketplace P2 TA 4425000 4425000 0 f
marketplace P3 TA 1170000 0 1170000 t
marketplace TR TA 405000 300000 105000 f
marketplace C1 TA 4900000 0 4900000 f
marketplace C2 TA 9900000 1000000 8900000 f
marketplace CR TA 135000 0 135000 t
marketplace P2 TB 3960000000000000000 0 3960000000000000000 f
marketplace TR TB 40000000000000000 0 40000000000000000 f
marketplace C1 TB 1000000000000000000 0 1000000000000000000 f
registry C2 - 1500000 500000 1000000 f`},
		// Everything credited in a token is exactly the max_payment of its terminal jobs (escrow conservation).
		{"credits equal terminal max_payment", `SELECT string_agg(concat_ws(' ', b.token, b.credited, t.locked), E'\n' ORDER BY b.token)
			FROM (SELECT token, sum(credited) AS credited FROM v_balances_owed WHERE ledger = 'marketplace' GROUP BY token) b
			JOIN (SELECT token, sum(max_payment) AS locked FROM v_jobs WHERE state IN ('settled', 'refunded', 'cancelled') GROUP BY token) t USING (token)`,
			`TA 31000000 31000000
TB 5000000000000000000 5000000000000000000`},
		{"v_market_volume_daily", `SELECT string_agg(concat_ws(' ', day, token, kind, jobs_created, jobs_settled, volume_locked, volume_paid, volume_to_providers, creator_amounts, protocol_fees, finalized),
				E'\n' ORDER BY day, token, kind) FROM v_market_volume_daily`,
			`2026-11-20 TA llm 2 1 2000000 600000 525000 60000 15000 f
2026-11-20 TA render 4 2 25000000 12000000 11700000 0 300000 f
2026-11-20 TA stt 2 1 5000000 1200000 1170000 0 30000 f
2026-11-20 TA tts 2 1 3000000 1500000 1387500 75000 37500 t
2026-11-21 TA llm 0 1 0 900000 877500 0 22500 f
2026-11-21 TB llm 1 1 5000000000000000000 4000000000000000000 3960000000000000000 0 40000000000000000 f
2026-11-21 TB tts 1 0 2000000000000000000 0 0 0 0 f`},
		{"v_provider_earnings", `SELECT string_agg(concat_ws(' ', provider, token, jobs_completed, jobs_missed, earned, fees_paid, creator_shares_paid, disputes_lost, slashed),
				E'\n' ORDER BY token, provider) FROM v_provider_earnings`,
			`P1 TA 3 0 10065000 260000 75000 0 0
P2 TA 2 0 4425000 115000 60000 0 0
P3 TA 1 1 1170000 30000 0 1 1500000
P1 TB 0 0 0 0 0 0 0
P2 TB 1 0 3960000000000000000 40000000000000000 0 0 0`},
		// render: (8e6 + 4e6) / (100 + 40) frames; tts: 1.5e6 / 30k chars; stt: 2.4e6 / (1200 s / 60);
		// llm A: (6e5 + 9e5) / ((30k + 60k) tokens / 1000); llm B: 4e18 / 200k tokens.
		{"v_price_index_hourly", `SELECT string_agg(concat_ws(' ', hour, kind, token, unit, jobs, units, amount_due, price_per_unit, min_price_per_unit, max_price_per_unit, finalized),
				E'\n' ORDER BY hour, token, kind) FROM v_price_index_hourly`,
			`2026-11-20 00:00:00 llm TA 1k tokens 2 90.000000 1500000 16666.666667 15000.000000 20000.000000 f
2026-11-20 00:00:00 render TA frame 2 140.000000 12000000 85714.285714 80000.000000 100000.000000 t
2026-11-20 00:00:00 stt TA audio minute 1 20.000000 2400000 120000.000000 120000.000000 120000.000000 t
2026-11-20 00:00:00 tts TA 1k characters 1 30.000000 1500000 50000.000000 50000.000000 50000.000000 t
2026-11-21 00:00:00 llm TB 1k tokens 1 200.000000 4000000000000000000 20000000000000000.000000 20000000000000000.000000 20000000000000000.000000 f`},
		// render day 1: accept 60, 120, 600 s; result 600, 1200 s; settle 3600, 7200 s.
		// percentile_cont(p) over n sorted values interpolates at position p*(n-1).
		{"v_job_funnel render", `SELECT concat_ws(' ', created, assigned, submitted, disputed, settled, refunded, cancelled, in_progress,
				round(accept_p50_s::numeric, 3), round(accept_p90_s::numeric, 3), round(accept_p99_s::numeric, 3),
				round(result_p50_s::numeric, 3), round(result_p90_s::numeric, 3), round(result_p99_s::numeric, 3),
				round(settle_p50_s::numeric, 3), round(settle_p90_s::numeric, 3), round(settle_p99_s::numeric, 3), finalized)
				FROM v_job_funnel WHERE day = '2026-11-20' AND kind = 'render'`,
			`4 3 2 0 2 1 0 1 120.000 504.000 590.400 900.000 1140.000 1194.000 5400.000 6840.000 7164.000 f`},
		{"v_job_funnel llm and empty stages", `SELECT string_agg(concat_ws(' ', day, kind, created, assigned, submitted, disputed, settled, refunded, cancelled,
				coalesce(round(accept_p50_s::numeric, 1)::text, '-'), coalesce(round(result_p90_s::numeric, 1)::text, '-'), coalesce(round(settle_p90_s::numeric, 1)::text, '-'), finalized),
				E'\n' ORDER BY day, kind) FROM v_job_funnel WHERE kind <> 'render'`,
			`2026-11-20 llm 2 2 2 1 2 0 0 172.5 1390.0 79600.0 f
2026-11-20 stt 2 1 1 1 1 1 0 90.0 900.0 5000.0 f
2026-11-20 tts 2 1 1 0 1 0 1 30.0 300.0 1800.0 t
2026-11-21 llm 1 1 1 0 1 0 0 60.0 1000.0 4000.0 f
2026-11-21 tts 1 1 0 0 0 0 0 120.0 - - f`},
		{"v_indexer_status", `SELECT concat_ws(' ', chain_id, chain_name, cursor_block, cursor_hash, finalized_block, unfinalized_blocks,
				lag > interval '0', reorgs, last_reorg_depth, last_reorg_ancestor) FROM v_indexer_status`,
			fmt.Sprintf("31337 anvil %d 0x%x %d %d t 1 2 %d", anCursorBlock, hash32(0xb0, anCursorBlock), anFinalized, anCursorBlock-anFinalized, anCursorBlock-2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readable(queryText(t, db, tt.sql))
			if got != tt.want {
				t.Errorf("%s =\n%s\nwant\n%s", tt.name, got, tt.want)
			}
		})
	}
}

// TestAnalyticsFinalizedFilter checks that the finalized flag separates what
// no reorg can change: day-1 settlements are final, day-2 ones are not.
func TestAnalyticsFinalizedFilter(t *testing.T) {
	db := newAnalyticsFixture(t)
	tests := []struct {
		view string
		want string // count where finalized, count where not
	}{
		{"v_jobs", "7 5"},
		{"v_settlements", "5 2"},
		{"v_refunds", "1 2"},
		{"v_slashes", "1 1"},
		{"v_withdrawals", "4 1"},
	}
	for _, tt := range tests {
		t.Run(tt.view, func(t *testing.T) {
			// The view name comes from the table above, never from input.
			got := queryText(t, db, `SELECT (count(*) FILTER (WHERE finalized)) || ' ' || (count(*) FILTER (WHERE NOT finalized)) FROM `+tt.view)
			if got != tt.want {
				t.Errorf("%s finalized/unfinalized = %s, want %s", tt.view, got, tt.want)
			}
		})
	}
}

// docQueries returns the ```sql blocks of migrations/ANALYTICS.md.
func docQueries(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "migrations", "ANALYTICS.md"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, strings.TrimSuffix(strings.TrimSpace(m[1]), ";"))
	}
	return out
}

// TestAnalyticsDocQueries runs every example query of ANALYTICS.md on the
// fixture: each must run and return rows.
func TestAnalyticsDocQueries(t *testing.T) {
	queries := docQueries(t)
	if len(queries) != 12 {
		t.Fatalf("ANALYTICS.md has %d sql blocks, want the twelve example queries", len(queries))
	}
	db := newAnalyticsFixture(t)
	for i, q := range queries {
		t.Run(fmt.Sprintf("query %d", i+1), func(t *testing.T) {
			if strings.Contains(q, ";") {
				t.Fatalf("query %d holds more than one statement", i+1)
			}
			var n int64
			if err := db.QueryRow(context.Background(), "SELECT count(*) FROM ("+q+"\n) q", nil, &n); err != nil {
				t.Fatalf("query %d: %v\n%s", i+1, err, q)
			}
			if n == 0 {
				t.Errorf("query %d returned no rows on the fixture\n%s", i+1, q)
			}
		})
	}
}

// TestSchemaIsCommented checks that every table, view, column and gm_
// function of the public schema has a COMMENT, except goose's own table.
func TestSchemaIsCommented(t *testing.T) {
	db := pgtest.New(t)
	var views int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM pg_views WHERE schemaname = 'public' AND viewname LIKE 'v\_%'`, nil, &views); err != nil {
		t.Fatal(err)
	}
	if views < 15 {
		t.Fatalf("%d analytics views found, want the 14 of migration 00005 and v_provider_stakes", views)
	}
	tests := []struct{ name, sql string }{
		{"tables and views", `SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'goose_db_version'
			  AND obj_description(c.oid, 'pg_class') IS NULL`},
		{"columns", `SELECT string_agg(c.relname || '.' || a.attname, ', ' ORDER BY c.relname, a.attnum) FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'goose_db_version'
			  AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL`},
		{"functions", `SELECT string_agg(p.proname, ', ') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = 'public' AND obj_description(p.oid, 'pg_proc') IS NULL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := queryText(t, db, tt.sql); got != "<null>" {
				t.Errorf("%s without COMMENT ON: %s", tt.name, got)
			}
		})
	}
}

// TestLogDeleteCascades deletes a raw log of each kind of event, as a reorg
// rewind does, and checks the decoded event goes with it (and out of the
// views built on it) while other rows stay.
func TestLogDeleteCascades(t *testing.T) {
	db := newAnalyticsFixture(t)
	tests := []struct {
		table, event, view string
	}{
		{"job_events", "JobCreated", "v_jobs"}, // jobs is rebuilt by the indexer, not by the cascade: the view keeps it
		{"provider_events", "ProviderSlashed", "v_slashes"},
		{"market_events", "Withdrawn", "v_withdrawals"},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			count := func(sql string) string { return queryText(t, db, sql) }
			// Names come from the table above, never from input.
			before := count(`SELECT count(*)::text FROM ` + tt.table)
			viewBefore := count(`SELECT count(*)::text FROM ` + tt.view)
			var blockHash []byte
			var index int32
			if err := db.QueryRow(context.Background(), `SELECT block_hash, log_index FROM `+tt.table+` WHERE event_name = $1 ORDER BY block_number DESC, log_index DESC LIMIT 1`,
				[]any{tt.event}, &blockHash, &index); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(context.Background(), `DELETE FROM logs WHERE chain_id = $1 AND block_hash = $2 AND log_index = $3`, int64(chainID), blockHash, index); err != nil {
				t.Fatal(err)
			}
			after := count(`SELECT count(*)::text FROM ` + tt.table)
			if want := fmt.Sprint(atoi(t, before) - 1); after != want {
				t.Errorf("%s rows after deleting one log = %s, want %s", tt.table, after, want)
			}
			if left := queryText(t, db, `SELECT count(*)::text FROM `+tt.table+` WHERE chain_id = $1 AND block_hash = $2 AND log_index = $3`, int64(chainID), blockHash, index); left != "0" {
				t.Errorf("%s still holds the deleted log's event (%s rows)", tt.table, left)
			}
			viewAfter := count(`SELECT count(*)::text FROM ` + tt.view)
			wantView := atoi(t, viewBefore)
			if tt.view != "v_jobs" {
				wantView--
			}
			if fmt.Sprint(wantView) != viewAfter {
				t.Errorf("%s rows = %s after the cascade, want %d", tt.view, viewAfter, wantView)
			}
		})
	}
}

func atoi(tb testing.TB, s string) int {
	tb.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		tb.Fatalf("not a number: %q", s)
	}
	return n
}
