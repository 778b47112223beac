package demo_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/pgcluster"
	"github.com/gpumarket/gpumarket/internal/testenv"
)

// TestShortScenario runs the demo's short scenario end to end (real anvil,
// real PostgreSQL, the indexer, the matcher, three relayers) and asserts the
// outcome of every job, the fee split, the balances and the journal. The
// demo's own end-state check (Problems) covers the chain agreement: escrow =
// locked + owed, each job's hash, each balance against the mirror, no nonce
// gaps, no transaction outside the journal, no orphan rows.
func TestShortScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end scenario: several minutes")
	}
	if _, err := anvil.FindBin(); err != nil {
		testenv.Unavailable(t, "anvil", err)
	}
	if _, err := pgcluster.BinDir(); err != nil {
		if _, perr := exec.LookPath("psql"); perr != nil {
			testenv.Unavailable(t, "PostgreSQL", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	// With Keep: once the end state is checked, the tour runs against the
	// demo left running, then the test stops it.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	// The README's tours run on the same kept demo, after the kept tour.
	binDir, dir := buildGpumarket(ctx, t), tourDir(t)
	var out syncBuffer
	var tourErr, readmeErr, sdkErr, browserErr error
	toured := false
	rep, err := demo.Run(runCtx, demo.Config{DataDir: t.TempDir(), Short: true, Keep: true, Out: &out, Timeout: 8 * time.Minute,
		Log: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Kept: func(info *demo.Info, keyFile string) {
			go func() {
				defer stop()
				tctx, cancel := context.WithTimeout(runCtx, 3*time.Minute)
				defer cancel()
				tourErr, toured = keptTour(tctx, info, keyFile), true
				rctx, cancel := context.WithTimeout(runCtx, 5*time.Minute)
				defer cancel()
				readmeErr = runReadmeTours(rctx, t, binDir, dir, out.String())
				sctx, cancel := context.WithTimeout(runCtx, 4*time.Minute)
				defer cancel()
				sdkErr = sdkTour(sctx, t, info, keyFile)
				// The explorer and post-a-job page in a real browser.
				browserErr = browserTour(runCtx, t, info, keyFile)
			}()
		}})
	t.Log(out.String())
	if errors.Is(err, context.Canceled) && ctx.Err() == nil {
		err = nil // the test stopped the kept demo
	}
	if !toured || tourErr != nil {
		t.Errorf("tour of the kept demo (ran: %v): %v", toured, tourErr)
	}
	if readmeErr != nil || !toured {
		t.Errorf("the README's tours on the kept demo: %v", readmeErr)
	}
	if sdkErr != nil || !toured {
		t.Errorf("the TypeScript SDK's tests on the kept demo: %v", sdkErr)
	}
	switch {
	case errors.Is(browserErr, errBrowserUnavailable) && os.Getenv("CI") != "true":
		t.Logf("browser tour skipped (with CI=true this fails): %v", browserErr)
	case browserErr != nil || !toured:
		t.Errorf("the browser tour of the kept demo: %v", browserErr)
	}
	for _, want := range []string{"the 3 providers", "explorer: http://", "client key file:", "/v1/jobs/31337/", "gpumarket job submit --matcher-url http://",
		"--private-key-file ", "--deployment ", "--spec-file examples/llm.json", "--funding order", "expired unserved: refunding 5.000000 USDT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the --keep output lacks %q", want)
		}
	}
	if errors.Is(err, demo.ErrCheckFailed) {
		t.Fatalf("end state disagrees with the chain: %v", err)
	}
	if gpumarket.ErrorCode(err) == gpumarket.EUNAVAILABLE {
		testenv.Unavailable(t, "anvil or PostgreSQL", err)
	}
	if err != nil {
		t.Fatalf("demo.Run: %v", err)
	}
	// The speech jobs run on the real engines when they are installed.
	if _, err := exec.LookPath("espeak-ng"); err == nil && !strings.Contains(out.String(), "4090: tts jobs on espeak-ng") {
		t.Errorf("espeak-ng is installed but the 4090's tts jobs did not run on it")
	}
	if _, err := exec.LookPath("blender"); err == nil && !strings.Contains(out.String(), "h100: render cycles-4.1 jobs on Blender") {
		t.Errorf("Blender is installed but the h100's cycles-4.1 render jobs did not run on it")
	}
	if len(rep.Jobs) != 8 {
		t.Fatalf("jobs = %d, want 8", len(rep.Jobs))
	}
	for _, j := range rep.Jobs {
		if j.State != j.Want {
			t.Errorf("job %d (%s) = %s, want %s", j.ID, j.Name, j.State, j.Want)
		}
		if j.State == gpumarket.JobStateSettled {
			// The split is exact: everything locked is released.
			sum := new(big.Int).Add(j.Fee, j.CreatorAmount)
			sum.Add(sum, j.ProviderPaid).Add(sum, j.ClientBack)
			if j.Slashed == nil || j.Slashed.Sign() == 0 {
				if sum.Cmp(j.MaxPayment) != 0 {
					t.Errorf("job %d: fee %s + creator %s + provider %s + client %s = %s, want the %s locked",
						j.ID, j.Fee, j.CreatorAmount, j.ProviderPaid, j.ClientBack, sum, j.MaxPayment)
				}
			}
			// 2.5% protocol fee of what was paid for the work.
			paid := new(big.Int).Sub(j.MaxPayment, j.ClientBack)
			if want := new(big.Int).Div(new(big.Int).Mul(paid, big.NewInt(250)), big.NewInt(10_000)); j.Fee.Cmp(want) > 0 {
				t.Errorf("job %d: protocol fee %s above 2.5%% of %s", j.ID, j.Fee, paid)
			}
		}
	}
	if rep.Fees.Locked.Sign() != 0 {
		t.Errorf("still locked at the end: %s", rep.Fees.Locked)
	}
	if rep.Fees.Creator.Sign() <= 0 {
		t.Errorf("the model creator got nothing")
	}
	if rep.Fees.Refunds.Cmp(big.NewInt(5_000_000)) != 0 {
		t.Errorf("refunded %s, want the unservable job's 5 USDT", rep.Fees.Refunds)
	}
	for _, s := range rep.Senders {
		if s.Nonces != s.ChainNonce {
			t.Errorf("%s: %d journaled nonces, chain nonce %d", s.Name, s.Nonces, s.ChainNonce)
		}
	}
	if len(rep.Problems) != 0 {
		t.Errorf("problems: %v", rep.Problems)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(bytes.TrimSpace(b)))
	return len(b), nil
}
