package service_test

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestTwoChainsOneDatabase runs one matcher per chain over one database
// (what `matcher run --deployment` does once per chain): the same provider
// operator is registered, attested and heartbeating on both chains, and
// both chains have a job 1. Each instance offers its own chain's job only,
// signed in its own chain's EIP-712 domain; neither touches the other's
// queue.
func TestTwoChainsOneDatabase(t *testing.T) {
	const chainB = matchertest.Chain + 1
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Slots: 4, Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://a", "1000000", nil)

	// Chain B: the indexer's rows copied with the other chain id, the
	// attestation and heartbeat submitted through chain B's API.
	e.Exec(`INSERT INTO providers (chain_id, provider, signer, attestation_hash, attestation_expiry, registered, active, stake, unbonding, slashed_total, last_block)
		SELECT $1, provider, signer, attestation_hash, attestation_expiry, registered, active, stake, unbonding, slashed_total, last_block
		FROM providers WHERE chain_id = $2`, chainB, matchertest.Chain)
	e.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
		preferred_provider, spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
		SELECT $1, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
		preferred_provider, spec_hash, 'ipfs://b', convert_to('ipfs://b', 'UTF8'), created_at, last_block
		FROM jobs WHERE chain_id = $2`, chainB, matchertest.Chain)
	verifier, err := eip712.NewRegistryVerifier(chainB, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: chainB, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 500},
		Liveness: matcher.DefaultLivenessParams()}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	apiB := &matchertest.Env{TB: t, API: srv.Handler()}
	if code, body := apiB.Do("POST", "/v1/attestations", e.AttestBody(p, chainB)); code != 200 {
		t.Fatalf("attest on chain %d: %d %s", chainB, code, body)
	}
	hb := &gpumarket.Heartbeat{Provider: p.Addr, Sequence: 1, Timestamp: e.Clock.Now().Unix(), FreeSlots: p.Att.Slots, LoadBps: 1000}
	sig, err := eip712.SignHeartbeat(p.Key, eip712.RegistryDomain(big.NewInt(chainB), e.Registry), hb)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := apiB.Do("POST", "/v1/heartbeats", []byte(fmt.Sprintf(`{"chain_id":%d,"heartbeat":{"provider":"%s","sequence":1,"timestamp":%d,"free_slots":%d,"load_bps":1000},"signature":"0x%x"}`,
		chainB, p.Addr, hb.Timestamp, hb.FreeSlots, sig))); code != 200 {
		t.Fatalf("heartbeat on chain %d: %d %s", chainB, code, body)
	}

	key, _, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signerB, err := eip712.NewAssignmentSigner(key, eip712.MarketDomain(big.NewInt(chainB), e.Market))
	if err != nil {
		t.Fatal(err)
	}
	cfgB := service.DefaultConfig(chainB, "b")
	cfgB.CandidateRefresh, cfgB.JobHash = 0, market.JobHashAtCreation
	sB, err := service.New(cfgB, e.Queue, e.Maint, signerB, service.NewFetcher(0, 0, false), e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	sA := e.NewService("a", nil)
	for _, c := range []struct {
		chain uint64
		s     *service.Service
	}{{matchertest.Chain, sA}, {chainB, sB}} {
		if err := e.Queue.Sync(e.Ctx, c.chain, time.Time{}, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got := matchertest.Drain(t, e.Ctx, c.s); got != 1 {
			t.Fatalf("chain %d: instance offered %d jobs, want its one", c.chain, got)
		}
	}
	for _, c := range []struct {
		chain  uint64
		signer gpumarket.Address
	}{{matchertest.Chain, e.Signer.Address()}, {chainB, signerB.Address()}} {
		if got := e.Count(`SELECT count(*) FROM assignments WHERE chain_id = $1 AND job_id = 1 AND state = 'offered' AND matcher = $2`, c.chain, c.signer[:]); got != 1 {
			t.Fatalf("chain %d: %d offers for job 1 by its own matcher, want 1", c.chain, got)
		}
		// The offer verifies in its chain's domain, for its chain's job.
		job, err := postgres.NewChainState(e.DB, c.chain).Job(e.Ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		jh, err := market.JobHashAtCreation(&job.Job)
		if err != nil {
			t.Fatal(err)
		}
		var price string
		var expiry time.Time
		var sig []byte
		e.SQL.QueryRow(`SELECT price::text, expiry, signature FROM assignments WHERE chain_id = $1 AND job_id = 1`, []any{c.chain}, &price, &expiry, &sig)
		pr, ok := new(big.Int).SetString(price, 10)
		if !ok {
			t.Fatalf("price %q", price)
		}
		a := &gpumarket.Assignment{JobID: 1, JobHash: jh, Provider: p.Addr, Price: pr, Expiry: expiry.Unix()}
		if err := eip712.VerifyAssignment(eip712.MarketDomain(new(big.Int).SetUint64(c.chain), e.Market), a, sig, c.signer, e.Clock.Now().Unix()); err != nil {
			t.Fatalf("chain %d: offer does not verify in its domain: %v", c.chain, err)
		}
	}
}
