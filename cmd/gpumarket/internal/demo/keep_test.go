package demo_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// keptTour is what a user does with a demo left running by --keep: with
// the printed client key only (no approval, no gas: a signed order with a
// permit, relayed by the matcher) it posts examples/llm.json, which a
// still-running provider must accept and run, and a job nobody serves with
// a short deadline, which the kept demo must refund.
func keptTour(ctx context.Context, info *demo.Info, keyFile string) error {
	b, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	key, err := keys.ParseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	who := keys.KeyAddress(key)
	m, closeRPC, err := market.DialMarket(ctx, info.NodeURL, anvil.ChainID, info.Market, info.Registry)
	if err != nil {
		return err
	}
	defer closeRPC()
	mc, err := client.New(info.MatcherURL, anvil.ChainID, nil)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, info.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	mirror := postgres.NewChainState(db, anvil.ChainID)

	post := func(nonce int64, spec []byte, kind gpumarket.JobKind, life uint64) (gpumarket.JobID, error) {
		h, err := mc.PostSpec(ctx, spec)
		if err != nil {
			return 0, err
		}
		_, now, err := m.ChainTime(ctx)
		if err != nil {
			return 0, err
		}
		pay := big.NewInt(5_000_000)
		o := &eip712.JobOrder{
			Params: eip712.JobParams{Kind: kind, Token: info.Stablecoin, MaxPayment: pay, Deadline: now + life,
				SpecHash: h, SpecURI: info.MatcherURL + "/v1/specs/" + h.String()},
			Auth: eip712.OrderAuth{Client: who, Nonce: big.NewInt(nonce), Expiry: now + 300},
		}
		sig, err := eip712.SignJobOrder(key, m.Domain(), o)
		if err != nil {
			return 0, err
		}
		td, err := m.TokenDomain(ctx, info.Stablecoin)
		if err != nil {
			return 0, err
		}
		pn, err := m.PermitNonce(ctx, info.Stablecoin, who)
		if err != nil {
			return 0, err
		}
		permit, err := eip712.SignPermit(key, td, &eip712.Permit{Owner: who, Spender: info.Market, Value: pay, Nonce: pn, Deadline: big.NewInt(int64(now + 300))})
		if err != nil {
			return 0, err
		}
		req, err := orders.Request(o, sig, &permit)
		if err != nil {
			return 0, err
		}
		if _, err := mc.SubmitOrder(ctx, req); err != nil {
			return 0, err
		}
		for {
			st, err := mc.Order(ctx, who, req.Auth.Nonce)
			if err != nil {
				return 0, err
			}
			switch st.State {
			case gpumarket.OrderMined:
				id, err := gpumarket.ParseJobID(*st.JobID)
				return id, err
			case gpumarket.OrderFailed:
				return 0, fmt.Errorf("order %s failed: %s", st.OrderID, st.Error)
			}
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	waitState := func(id gpumarket.JobID, states ...gpumarket.JobState) error {
		for {
			j, err := mirror.Job(ctx, id)
			if err == nil {
				for _, s := range states {
					if j.State == s {
						return nil
					}
				}
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("job %d never reached %v (last: %v %v): %w", id, states, j, err, ctx.Err())
			case <-time.After(500 * time.Millisecond):
			}
		}
	}

	llm, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "examples", "llm.json"))
	if err != nil {
		return err
	}
	served, err := post(1, llm, gpumarket.JobKindLLM, 900)
	if err != nil {
		return fmt.Errorf("post examples/llm.json: %w", err)
	}
	unservable, err := synthetic.NewJobSpec(gpumarket.JobKindLLM, "llama-3.1-405b-instruct", synthetic.LLMSpec{Prompt: "hi", MaxTokens: 8},
		gpumarket.Requirements{GPUCount: 8, MinVRAMMiB: 81920, Estimate: gpumarket.Estimate{InputTokens: 1, OutputTokens: 8}})
	if err != nil {
		return err
	}
	expiring, err := post(2, unservable, gpumarket.JobKindLLM, 20)
	if err != nil {
		return fmt.Errorf("post an unservable job: %w", err)
	}
	if err := waitState(served, gpumarket.JobStateSubmitted, gpumarket.JobStateSettled); err != nil {
		return fmt.Errorf("a kept provider did not serve examples/llm.json: %w", err)
	}
	if err := waitState(expiring, gpumarket.JobStateRefunded); err != nil {
		return fmt.Errorf("the kept demo did not refund an expired job: %w", err)
	}
	return nil
}
