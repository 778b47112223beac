package client_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestJournaledSubmitOnceAcrossRestart: a Client over a journaled
// transaction manager (JournaledSender) records Submit's creation under
// its WithTxKey key. A second process (a new manager on the same journal, a
// new Client) submitting the same job under the same key sends nothing and
// returns the same job, although its call differs (a later deadline); a
// new key creates a new job.
func TestJournaledSubmitOnceAcrossRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	d, err := gpumarket.LoadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.URL(t)
	matcherURL := stubMatcher(t).URL

	// process starts a manager for dev account 2 on the journal and a
	// Client sending through it; stop ends both.
	process := func() (c *client.Client, tm *txmgr.Manager, stop func()) {
		t.Helper()
		db := pgtest.Open(t, dsn)
		url := s.URL
		tm, err := txmgr.New(ctx, txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil },
			Key: s.Key(2), Journal: postgres.NewJournal(db), Confirmations: 1, PollInterval: 20 * time.Millisecond,
			Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		rctx, rcancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = tm.Run(rctx) }()
		c, err = client.Dial(ctx, client.Config{MatcherURL: matcherURL, RPCURL: s.URL, Deployment: d, Key: s.Key(2),
			Sender: client.NewJournaledSender(tm, m, 20*time.Millisecond)})
		if err != nil {
			t.Fatal(err)
		}
		return c, tm, func() { c.Close(); rcancel(); <-done; tm.Close() }
	}

	c, tm, stop := process()
	usdt, err := c.Token(ctx, "usdt")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.BuildSpec(ctx, client.SpecRequest{Kind: gpumarket.JobKindLLM, Model: "m", Params: map[string]any{"prompt": "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	max, _ := usdt.Parse("0.25")
	req := client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: max}
	first, err := c.WithTxKey("job-1").Submit(ctx, req)
	if err != nil {
		t.Fatalf("Submit = %v", err)
	}
	in, err := tm.Intent(ctx, "job-1/create")
	if err != nil || in.State != gpumarket.TxConfirmed || in.MinedHash != first.TxHash {
		t.Fatalf("journal job-1/create = %+v, %v; want confirmed as %s", in, err, first.TxHash)
	}
	stop()
	nonce, err := m.Nonce(ctx, c.Address())
	if err != nil {
		t.Fatal(err)
	}

	// The restart: the same key, a later deadline.
	c, _, stop = process()
	defer stop()
	req.Lifetime = 20 * time.Minute
	again, err := c.WithTxKey("job-1").Submit(ctx, req)
	if err != nil {
		t.Fatalf("Submit again = %v", err)
	}
	if again.JobID != first.JobID || again.TxHash != first.TxHash {
		t.Errorf("Submit again = job %d tx %s, want job %d tx %s (the recorded one)", again.JobID, again.TxHash, first.JobID, first.TxHash)
	}
	if n, err := m.Nonce(ctx, c.Address()); err != nil || n != nonce {
		t.Errorf("the wallet's nonce went from %d to %d (%v): the restart sent a transaction", nonce, n, err)
	}

	// Another key is another job.
	other, err := c.WithTxKey("job-2").Submit(ctx, req)
	if err != nil {
		t.Fatalf("Submit(job-2) = %v", err)
	}
	if other.JobID == first.JobID {
		t.Errorf("job-2 got job %d, the same as job-1", other.JobID)
	}
	rec, err := c.Status(ctx, other.JobID)
	if err != nil || rec.State() != gpumarket.JobStateOpen {
		t.Fatalf("Status(job-2) = %+v, %v; want open", rec, err)
	}
}

// TestDialSenderOfAnotherKey: a sender that signs for another address than
// the key is refused.
func TestDialSenderOfAnotherKey(t *testing.T) {
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	d, err := gpumarket.LoadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	url := s.URL
	tm, err := txmgr.New(context.Background(), txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil },
		Key: s.Key(3), Journal: postgres.NewJournal(pgtest.New(t)), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer tm.Close()
	_, err = client.Dial(context.Background(), client.Config{MatcherURL: "http://127.0.0.1:1", RPCURL: s.URL, Deployment: d, Key: s.Key(2),
		Sender: client.NewJournaledSender(tm, nil, 0)})
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Dial(sender of account 3, key of account 2) = %v, want EINVALID", err)
	}
}
