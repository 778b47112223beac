package api

import (
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestViewsJSON pins the wire format of the read endpoints (openapi.json):
// amounts and job ids are decimal strings, signatures 0x-hex, enums names.
func TestViewsJSON(t *testing.T) {
	at := time.Date(2026, 9, 21, 14, 15, 0, 0, time.UTC)
	big256 := gpumarket.MustAmount(gpumarket.MaxUint256)
	a := service.AssignmentView{ChainID: 1, JobID: 7, Provider: gpumarket.Address{0xaa}, Price: gpumarket.AmountFromUint64(4000), Expiry: 60,
		Signature: []byte{0xde, 0xad}, Matcher: gpumarket.Address{0xbb}, State: "offered", Score: json.RawMessage(`{"total":1}`), CreatedAt: at}
	rep := 650000
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"assignments", each([]service.AssignmentView{a}, assignmentOut),
			`[{"chain_id":1,"job_id":"7","job_hash":"0x0000000000000000000000000000000000000000000000000000000000000000",` +
				`"provider":"0xaa00000000000000000000000000000000000000","price":"4000","expiry":60,"signature":"0xdead",` +
				`"matcher":"0xbb00000000000000000000000000000000000000","state":"offered","rank":0,"score":{"total":1},"created_at":"2026-09-21T14:15:00Z"}]`},
		{"no assignments", each(nil, assignmentOut), `[]`},
		{"job", jobOut(service.JobView{ChainID: 1, JobID: 7, Chain: service.JobChainView{State: gpumarket.JobStateOpen, Kind: gpumarket.JobKindLLM,
			MaxPayment: big256, Deadline: at, LastBlock: 9}}),
			`{"chain_id":1,"job_id":"7","chain":{"state":"open","kind":"llm","client":"0x0000000000000000000000000000000000000000",` +
				`"token":"0x0000000000000000000000000000000000000000","max_payment":"` + gpumarket.MaxUint256.String() + `",` +
				`"deadline":"2026-09-21T14:15:00Z","spec_hash":"0x0000000000000000000000000000000000000000000000000000000000000000","spec_uri":"",` +
				`"price":"0","last_block":9,"finalized":false,"amount_due":"0"},"assignments":[]}`},
		{"settled job", jobOut(service.JobView{ChainID: 1, JobID: 7, Chain: service.JobChainView{State: gpumarket.JobStateSettled, Kind: gpumarket.JobKindLLM,
			MaxPayment: gpumarket.AmountFromUint64(1000), Deadline: at, LastBlock: 9, Price: gpumarket.AmountFromUint64(950),
			AmountDue: gpumarket.AmountFromUint64(900), ResultHash: &gpumarket.Hash{0xcc}, ResultURI: "https://p/r",
			Settlement: &service.SettlementSplit{ProtocolFee: gpumarket.AmountFromUint64(22), CreatorAmount: gpumarket.AmountFromUint64(45),
				ProviderAmount: gpumarket.AmountFromUint64(833), ClientRefund: gpumarket.AmountFromUint64(100)}}}),
			`{"chain_id":1,"job_id":"7","chain":{"state":"settled","kind":"llm","client":"0x0000000000000000000000000000000000000000",` +
				`"token":"0x0000000000000000000000000000000000000000","max_payment":"1000",` +
				`"deadline":"2026-09-21T14:15:00Z","spec_hash":"0x0000000000000000000000000000000000000000000000000000000000000000","spec_uri":"",` +
				`"price":"950","last_block":9,"finalized":false,"amount_due":"900",` +
				`"result_hash":"0xcc00000000000000000000000000000000000000000000000000000000000000","result_uri":"https://p/r",` +
				`"settlement":{"protocol_fee":"22","creator_amount":"45","provider_amount":"833","client_refund":"100"}},"assignments":[]}`},
		{"provider", each([]service.ProviderView{{Provider: gpumarket.Address{0xaa}, Status: gpumarket.ProviderBusy, Slots: 2,
			Capabilities: []string{"llm"}, Models: []string{"m"}, ExpiresAt: at, Stake: gpumarket.MustAmount(big.NewInt(5e18)), Reputation: &rep}}, providerOut),
			`[{"provider":"0xaa00000000000000000000000000000000000000","status":"busy","fingerprint_flagged":false,"gpu_model":"","gpu_count":0,` +
				`"vram_mib":0,"region":"","slots":2,"capabilities":["llm"],"models":["m"],"attestation_expires_at":"2026-09-21T14:15:00Z",` +
				`"stake":"5000000000000000000","reputation":650000,"offers":[],"benchmarks":[],"price_token":"0x0000000000000000000000000000000000000000"}]`},
		{"rate", each([]service.RateView{{Kind: gpumarket.JobKindLLM, Unit: "1k_tokens", Class: matcher.GPUClass("large"), Fair: big256,
			Low: gpumarket.AmountFromUint64(1), ComputedAt: at}}, rateOut),
			`[{"kind":"llm","unit":"1k_tokens","gpu_class":"large","token":"0x0000000000000000000000000000000000000000",` +
				`"fair":"` + gpumarket.MaxUint256.String() + `","low":"1","high":"0","providers":0,"settlements":0,"computed_at":"2026-09-21T14:15:00Z"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.v)
			if err != nil || string(got) != tt.want {
				t.Errorf("json.Marshal(%s) =\n%s, %v\nwant\n%s", tt.name, got, err, tt.want)
			}
		})
	}
}
