package api

import (
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// The JSON bodies of the read endpoints (openapi.json's schemas): the one
// place where the store's views become JSON. Amounts are strings of decimal
// digits (gpumarket.Amount), job ids decimal strings, signatures 0x-hex.

// each converts every view with out: a JSON array, [] (never null) when
// there are none.
func each[V, J any](views []V, out func(V) J) []J {
	js := make([]J, len(views))
	for i, v := range views {
		js[i] = out(v)
	}
	return js
}

// assignmentJSON is openapi.json's Assignment.
type assignmentJSON struct {
	ChainID   uint64            `json:"chain_id"`
	JobID     string            `json:"job_id"`
	JobHash   gpumarket.Hash    `json:"job_hash"`
	Provider  gpumarket.Address `json:"provider"`
	Price     gpumarket.Amount  `json:"price"`
	Expiry    int64             `json:"expiry"`
	Signature string            `json:"signature"`
	Matcher   gpumarket.Address `json:"matcher"`
	State     string            `json:"state"`
	Rank      int               `json:"rank"`
	Score     json.RawMessage   `json:"score"`
	RunnersUp json.RawMessage   `json:"runners_up,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

func assignmentOut(a service.AssignmentView) assignmentJSON {
	return assignmentJSON{ChainID: a.ChainID, JobID: a.JobID.String(), JobHash: a.JobHash, Provider: a.Provider, Price: a.Price, Expiry: a.Expiry,
		Signature: "0x" + hex.EncodeToString(a.Signature), Matcher: a.Matcher, State: a.State, Rank: a.Rank, Score: a.Score,
		RunnersUp: a.RunnersUp, CreatedAt: a.CreatedAt}
}

// jobJSON is the body of GET /v1/jobs/{chainId}/{jobId}.
type jobJSON struct {
	ChainID     uint64           `json:"chain_id"`
	JobID       string           `json:"job_id"`
	Chain       jobChainJSON     `json:"chain"`
	Matching    *matchingJSON    `json:"matching,omitempty"`
	Assignments []assignmentJSON `json:"assignments"`
}

type jobChainJSON struct {
	State      string             `json:"state"`
	Kind       string             `json:"kind"`
	Client     gpumarket.Address  `json:"client"`
	Token      gpumarket.Address  `json:"token"`
	MaxPayment gpumarket.Amount   `json:"max_payment"`
	Deadline   time.Time          `json:"deadline"`
	SpecHash   gpumarket.Hash     `json:"spec_hash"`
	SpecURI    string             `json:"spec_uri"`
	Provider   *gpumarket.Address `json:"provider,omitempty"`
	Price      gpumarket.Amount   `json:"price"`
	LastBlock  uint64             `json:"last_block"`
	Finalized  bool               `json:"finalized"`
	AmountDue  gpumarket.Amount   `json:"amount_due"`
	ResultHash *gpumarket.Hash    `json:"result_hash,omitempty"`
	ResultURI  string             `json:"result_uri,omitempty"`
	Settlement *settlementJSON    `json:"settlement,omitempty"`
	Refund     *gpumarket.Amount  `json:"refund,omitempty"`
}

// settlementJSON is the split of a settled job's payment.
type settlementJSON struct {
	ProtocolFee    gpumarket.Amount `json:"protocol_fee"`
	CreatorAmount  gpumarket.Amount `json:"creator_amount"`
	ProviderAmount gpumarket.Amount `json:"provider_amount"`
	ClientRefund   gpumarket.Amount `json:"client_refund"`
}

type matchingJSON struct {
	Status   string          `json:"status"`
	Reason   string          `json:"reason"`
	Attempts int             `json:"attempts"`
	Decision json.RawMessage `json:"decision,omitempty"`
	Updated  time.Time       `json:"updated_at"`
}

func jobOut(v service.JobView) jobJSON {
	c := v.Chain
	out := jobJSON{ChainID: v.ChainID, JobID: v.JobID.String(), Assignments: each(v.Assignments, assignmentOut),
		Chain: jobChainJSON{State: c.State.String(), Kind: c.Kind.String(), Client: c.Client, Token: c.Token, MaxPayment: c.MaxPayment,
			Deadline: c.Deadline, SpecHash: c.SpecHash, SpecURI: c.SpecURI, Provider: c.Provider, Price: c.Price, LastBlock: c.LastBlock,
			Finalized: c.Finalized, AmountDue: c.AmountDue, ResultHash: c.ResultHash, ResultURI: c.ResultURI, Refund: c.Refund}}
	if st := c.Settlement; st != nil {
		out.Chain.Settlement = &settlementJSON{ProtocolFee: st.ProtocolFee, CreatorAmount: st.CreatorAmount, ProviderAmount: st.ProviderAmount,
			ClientRefund: st.ClientRefund}
	}
	if m := v.Matching; m != nil {
		out.Matching = &matchingJSON{Status: m.Status, Reason: m.Reason, Attempts: m.Attempts, Decision: m.Decision, Updated: m.Updated}
	}
	return out
}

// providerJSON is openapi.json's Provider.
type providerJSON struct {
	Provider     gpumarket.Address `json:"provider"`
	Status       string            `json:"status"`
	Flagged      bool              `json:"fingerprint_flagged"`
	GPUModel     string            `json:"gpu_model"`
	GPUCount     int               `json:"gpu_count"`
	VRAMMiB      int               `json:"vram_mib"`
	Region       string            `json:"region"`
	Slots        int               `json:"slots"`
	Capabilities []string          `json:"capabilities"`
	Models       []string          `json:"models"`
	ExpiresAt    time.Time         `json:"attestation_expires_at"`
	Stake        gpumarket.Amount  `json:"stake"`
	Reputation   *int              `json:"reputation,omitempty"`
	// From the attested document: each capability's models and prices
	// (in PriceToken's base units) and the measured benchmarks.
	Offers     []gpumarket.Capability `json:"offers"`
	Benchmarks []gpumarket.Benchmark  `json:"benchmarks"`
	PriceToken gpumarket.Address      `json:"price_token"`
}

func providerOut(p service.ProviderView) providerJSON {
	return providerJSON{Provider: p.Provider, Status: p.Status.String(), Flagged: p.Flagged, GPUModel: p.GPUModel, GPUCount: p.GPUCount,
		VRAMMiB: p.VRAMMiB, Region: p.Region, Slots: p.Slots, Capabilities: p.Capabilities, Models: p.Models, ExpiresAt: p.ExpiresAt,
		Stake: p.Stake, Reputation: p.Reputation, Offers: nonNil(p.Offers), Benchmarks: nonNil(p.Benchmarks), PriceToken: p.PriceToken}
}

// rateJSON is openapi.json's Rate.
type rateJSON struct {
	Kind        string            `json:"kind"`
	Unit        string            `json:"unit"`
	Class       string            `json:"gpu_class"`
	Token       gpumarket.Address `json:"token"`
	Fair        gpumarket.Amount  `json:"fair"`
	Low         gpumarket.Amount  `json:"low"`
	High        gpumarket.Amount  `json:"high"`
	Providers   int               `json:"providers"`
	Settlements int               `json:"settlements"`
	ComputedAt  time.Time         `json:"computed_at"`
}

func rateOut(r service.RateView) rateJSON {
	return rateJSON{Kind: r.Kind.String(), Unit: string(r.Unit), Class: string(r.Class), Token: r.Token, Fair: r.Fair, Low: r.Low,
		High: r.High, Providers: r.Providers, Settlements: r.Settlements, ComputedAt: r.ComputedAt}
}
