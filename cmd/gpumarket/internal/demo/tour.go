package demo

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
)

// castPath returns Foundry's cast beside the anvil the demo runs (make
// setup installs both into node_modules/.bin, which is not on PATH), or
// "cast".
func castPath() string {
	if bin, err := anvil.FindBin(); err == nil {
		if p := filepath.Join(filepath.Dir(bin), "cast"); fileExists(p) {
			return p
		}
	}
	return "cast"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// refundKey is the journal key of job id's refund (the refund story's
// too, so that a job is refunded once whoever notices first).
func refundKey(id gpumarket.JobID) string { return "refund-" + id.String() }

// expiredJobs returns the mirror's jobs still open or assigned after their
// deadline (chain time): nobody served them, and anyone may refund them.
func (d *demo) expiredJobs(ctx context.Context) ([]*gpumarket.JobRecord, error) {
	_, now, err := d.market.ChainTime(ctx)
	if err != nil {
		return nil, err
	}
	jobs, err := d.chain().Jobs(ctx)
	if err != nil {
		return nil, err
	}
	var out []*gpumarket.JobRecord
	for _, j := range jobs {
		if (j.State == gpumarket.JobStateOpen || j.State == gpumarket.JobStateAssigned) && now > j.Deadline {
			out = append(out, j)
		}
	}
	return out, nil
}

// refundExpired refunds every expired job (refund(jobId, job), by the
// order relayer's manager, which anyone may be) and waits until each
// refund is confirmed. It returns the jobs it refunded.
func (d *demo) refundExpired(ctx context.Context, gas *txm) ([]gpumarket.JobID, error) {
	jobs, err := d.expiredJobs(ctx)
	if err != nil {
		return nil, fmt.Errorf("refund expired jobs: %w", err)
	}
	var ids []gpumarket.JobID
	for _, j := range jobs {
		if _, err := gas.Intent(ctx, refundKey(j.ID)); err == nil {
			continue // sent already; the mirror has not caught up
		}
		if err := gas.send(ctx, refundKey(j.ID), build(d.market.Refund(&j.Job))); err != nil {
			return ids, err
		}
		ids = append(ids, j.ID)
		d.printf("  job %d expired unserved: refunding %s USDT to %s (permissionless refund)\n", j.ID, fmtUSDT(j.MaxPayment), j.Client)
	}
	for _, j := range jobs {
		if err := gas.wait(ctx, refundKey(j.ID)); err != nil {
			return ids, err
		}
	}
	return ids, nil
}

// keepRefunding refunds expired jobs every interval until ctx ends: under
// --keep, a job a user posts that nobody serves comes back to its client.
func (d *demo) keepRefunding(ctx context.Context, gas *txm, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := d.refundExpired(ctx, gas); err != nil && ctx.Err() == nil {
			d.log.Warn("refund expired jobs", "err", err)
		}
	}
}

// tourClient is the funded client the --keep tour's commands use.
type tourClient struct {
	addr    gpumarket.Address
	keyFile string // hex private key, mode 0600
}

// newTourClient makes a fresh client key, writes it to the run directory
// and funds it with 10 ETH and 1,000 USDT (the test stablecoin mints to
// anyone; the order relayer sends the mint). It runs after the end-state
// check, whose conservation check counts the scenario's mint only.
func (d *demo) newTourClient(ctx context.Context, gas *txm) (*tourClient, error) {
	key, addr, err := keys.GenerateKey()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(d.runDir, "client.key")
	if err := os.WriteFile(path, []byte(keys.FormatKey(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("demo: write client key: %w", err)
	}
	if err := d.node.SetBalance(ctx, addr, new(big.Int).Mul(big.NewInt(10), e18)); err != nil {
		return nil, fmt.Errorf("demo: fund client: %w", err)
	}
	if err := gas.send(ctx, "mint-tour-client", build(d.market.Mint(d.sys.Stablecoin, addr, usdt(100_000)))); err != nil {
		return nil, err
	}
	if err := gas.wait(ctx, "mint-tour-client"); err != nil {
		return nil, fmt.Errorf("demo: mint USDT to the client: %w", err)
	}
	return &tourClient{addr: addr, keyFile: path}, nil
}

// printKeep says what keeps running and prints the tour's commands with
// every placeholder filled in.
func (d *demo) printKeep(matcherURL string, c *tourClient, lastJob gpumarket.JobID) {
	w := d.cfg.Out
	var names []string
	for _, p := range d.providers {
		names = append(names, p.name)
	}
	fmt.Fprintf(w, "\n--keep: everything keeps running: anvil (mining), the indexer, the matcher (with its gasless order relay)\n")
	fmt.Fprintf(w, "and the %d providers (%s), so a job you post now is matched, run and settled.\n", len(d.providers), strings.Join(names, ", "))
	fmt.Fprintf(w, "Expired jobs nobody served are refunded every 10s. Ctrl-C stops it all.\n")
	fmt.Fprintf(w, "  explorer: %s/  (open it in a browser; Post a job connects an injected wallet)\n", matcherURL)
	fmt.Fprintf(w, "  psql '%s'\n", d.dbURL)
	fmt.Fprintf(w, "  deployment file: %s\n", d.depPath)
	fmt.Fprintf(w, "  client key file: %s  (%s: 10 ETH, 1000 USDT)\n", c.keyFile, c.addr)

	chain, mkt, tok := d.chainID, d.sys.Market, d.sys.Stablecoin
	fmt.Fprintf(w, "\nThe README's tours use these variables (paste the line, from the repository root, with bin/ on PATH):\n")
	fmt.Fprintf(w, "  %s\n", d.tourExports(matcherURL, c))
	common := fmt.Sprintf("--matcher-url %s --rpc-url %s --deployment %s --private-key-file %s",
		matcherURL, d.node.URL, d.depPath, c.keyFile)
	fmt.Fprintf(w, "\nA job the demo ran (the matcher's view):\n")
	fmt.Fprintf(w, "  curl -s %s/v1/jobs/%d/%d\n", matcherURL, chain, lastJob)
	fmt.Fprintf(w, "\nThe client CLI (one command per step, or `job run` for all of them; models the demo providers serve):\n")
	fmt.Fprintf(w, "  gpumarket job submit %s --spec-file examples/llm.json --max-price 5 --token %s\n", common, tok)
	fmt.Fprintf(w, "  gpumarket job watch %s --job <the id submit printed>\n", common)
	fmt.Fprintf(w, "  gpumarket job result %s --job <the id submit printed> --out result.txt\n", common)
	fmt.Fprintf(w, "  gpumarket job run %s --spec-file examples/render.json --max-price 5 --token %s --out render.png\n", common, tok)
	fmt.Fprintf(w, "  gpumarket job run %s --spec-file examples/tts.json --max-price 1 --token %s --out speech.wav\n", common, tok)
	fmt.Fprintf(w, "  gpumarket job run %s --spec-file examples/stt.json --max-price 1 --token %s --out transcript.txt\n", common, tok)
	fmt.Fprintf(w, "  gpumarket job run %s --spec-file examples/llm.json --max-price 5 --token %s --funding order --out answer.txt\n", common, tok)
	fmt.Fprintf(w, "  gpumarket job refund %s --job <an expired job>\n", common)

	fmt.Fprintf(w, "\nThe same by hand (curl and Foundry's cast; 5 USDT = 5000000 base units):\n")
	fmt.Fprintf(w, "  curl -s -H 'Content-Type: application/json' --data-binary @examples/llm.json %s/v1/specs   # -> spec_hash\n", matcherURL)
	cast := castPath()
	fmt.Fprintf(w, "  %s send --rpc-url %s --private-key $(cat %s) %s 'approve(address,uint256)' %s 5000000\n", cast, d.node.URL, c.keyFile, tok, mkt)
	fmt.Fprintf(w, "  %s send --rpc-url %s --private-key $(cat %s) %s 'createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string))' \\\n", cast, d.node.URL, c.keyFile, mkt)
	fmt.Fprintf(w, "    \"(%d,%s,5000000,$(($(%s block latest -f timestamp --rpc-url %s)+1800)),%s,%s,0,<spec_hash>,%s/v1/specs/<spec_hash>)\"\n",
		gpumarket.JobKindLLM, tok, cast, d.node.URL, gpumarket.Address{}, gpumarket.Address{}, matcherURL)
	fmt.Fprintf(w, "  curl -s %s/v1/jobs/%d/<job id: the JobCreated log's second topic>\n", matcherURL, chain)
	fmt.Fprintf(w, "  gasless: POST %s/v1/orders with a signed JobOrder (see %s/v1/openapi.json)\n", matcherURL, matcherURL)

	fmt.Fprintf(w, "\nExample queries (migrations/ANALYTICS.md has twelve more):\n")
	for _, q := range TourQueries() {
		fmt.Fprintf(w, "  %s\n", q)
	}
}

// tourExports is the shell line that sets the variables the README's
// tours use (RPC, MATCHER, DEPLOYMENT, KEY, MARKET, USDT, GPUS,
// DATABASE_URL), all from this running demo.
func (d *demo) tourExports(matcherURL string, c *tourClient) string {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	return fmt.Sprintf("export RPC=%s MATCHER=%s DEPLOYMENT=%s KEY=%s MARKET=%s USDT=%s GPUS=%s DATABASE_URL='%s'",
		d.node.URL, matcherURL, abs(d.depPath), abs(c.keyFile), d.sys.Market, d.sys.Stablecoin, d.sys.StakingToken, d.dbURL)
}

// TourQueries are the example queries the kept demo prints; the README's
// analyst tour runs the same ones.
func TourQueries() []string {
	return []string{
		`SELECT job_id, kind, state, provider, price, amount_due FROM v_jobs ORDER BY job_id;`,
		`SELECT * FROM v_job_funnel;`,
		`SELECT account, token, owed FROM v_balances_owed WHERE owed > 0;`,
		`SELECT provider, token AS payment_token, jobs_completed, earned, slashed AS slashed_staking_token FROM v_provider_earnings;`,
		`SELECT provider, stake, reserved, free, slashed_total FROM v_provider_stakes;`,
		`SELECT ancestor, depth, logs_removed, detected_at FROM indexer_reorgs;`,
		`SELECT job_id, provider, score, runners_up FROM assignments ORDER BY job_id;`,
		`SELECT quote_id, state, provider, payer, mint, quoted, arrived, excess, genesis_hash FROM v_rail_jobs ORDER BY quote_id;`,
	}
}
