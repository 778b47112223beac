package client_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
)

// These examples need a running market (node, matcher, providers), so they
// are compiled but not run (no Output comment); cmd/gpumarket's
// TestJobCommandsEndToEnd runs the same steps against a real stack.

func dial(ctx context.Context) *client.Client {
	d, err := gpumarket.LoadDeployment("deployment.json")
	if err != nil {
		log.Fatal(err)
	}
	key, err := keys.ReadKeyFile("wallet.key")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Dial(ctx, client.Config{MatcherURL: "http://127.0.0.1:8090", RPCURL: "http://127.0.0.1:8545", Deployment: d, Key: key})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Submit builds an llm spec, and creates the job at most 1 USDT: after the
// quote, balance and allowance checks, funded by a permit when the token
// supports one.
func ExampleClient_Submit() {
	ctx := context.Background()
	c := dial(ctx)
	defer c.Close()
	spec, err := c.BuildSpec(ctx, client.SpecRequest{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b-instruct-q4",
		Params: map[string]any{"prompt": "explain reorgs", "max_tokens": 64}})
	if err != nil {
		log.Fatal(err)
	}
	usdt, err := c.Token(ctx, "USDT")
	if err != nil {
		log.Fatal(err)
	}
	max, err := usdt.Parse("1")
	if err != nil {
		log.Fatal(err)
	}
	sub, err := c.Submit(ctx, client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: max})
	if err != nil {
		log.Fatal(err) // errors.Is(err, client.ErrBelowBand) etc.
	}
	fmt.Println("job", sub.JobID, "funded by", sub.FundedBy)
}

// Watch prints a line per change until the job has a result (or can only
// be refunded).
func ExampleClient_Watch() {
	ctx := context.Background()
	c := dial(ctx)
	defer c.Close()
	usdt, _ := c.Token(ctx, "USDT")
	st, err := c.Watch(ctx, 1, client.UntilResult, func(s *client.Status) { fmt.Fprintln(os.Stderr, s.Line(usdt)) })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.State())
}

// Result downloads job 1's result, checks it against the chain's hash and
// saves it.
func ExampleClient_SaveResult() {
	ctx := context.Background()
	c := dial(ctx)
	defer c.Close()
	res, err := c.SaveResult(ctx, 1, "out/")
	if err != nil {
		log.Fatal(err) // errors.Is(err, client.ErrResultMismatch): dispute it
	}
	fmt.Println(res.Path, res.Hash)
}

// Dispute disputes job 1's result within the challenge window, posting the
// bond.
func ExampleClient_Dispute() {
	ctx := context.Background()
	c := dial(ctx)
	defer c.Close()
	tx, err := c.Dispute(ctx, 1, "the frames are black")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("disputed in", tx)
}

// Refund refunds job 1 after its deadline passed with no result; anyone may.
func ExampleClient_Refund() {
	ctx := context.Background()
	c := dial(ctx)
	defer c.Close()
	tx, err := c.Refund(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refunded in", tx)
}
