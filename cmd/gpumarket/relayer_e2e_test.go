package main

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"

	"github.com/gpumarket/gpumarket/relayer/daemon"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
	"github.com/gpumarket/gpumarket/relayer/hardware"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/client"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestProviderCommandsEndToEnd runs the commands a provider and an operator
// type, in process: `indexer run`, `matcher run`, `relayer keys`, `relayer
// register` with an example profile (token from the deployment file) and
// `relayer run` with the demo executor. A client posts an llm job; the test
// waits for it to be accepted, run, submitted, settled after the challenge
// window and withdrawn by the schedule; then every command stops with exit
// code 0 on cancellation.
func TestProviderCommandsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	sys := ethtest.DeploySystem(t, ethtest.SystemConfig{Anvil: anvil.Config{BlockTime: time.Second, SlotsInEpoch: 2},
		ChallengeWindow: 5, DisputeTimeout: 30, MaxJobDuration: 900})
	dir := t.TempDir()
	deployment := filepath.Join(dir, "deployment.json")
	if err := sys.WriteDeploymentFile(deployment); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.URL(t)
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("a long password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keystore := func(name string, i int) string {
		p := filepath.Join(dir, name+".json")
		if _, err := keys.WriteKey(p, sys.Key(i), []byte("a long password"), true); err != nil {
			t.Fatal(err)
		}
		return p
	}
	matcherKS, operatorKS := keystore("matcher", sys.Matcher), keystore("operator", 3)
	signerKS := filepath.Join(dir, "signer.json")
	code, out, errOut := runCLI(t, map[string]string{"GPUMARKET_DATABASE_URL": dsn}, "relayer", "keys", "--out", signerKS, "--password-file", pw)
	if code != 0 {
		t.Fatalf("relayer keys: exit %d: %s", code, errOut)
	}
	_, signer, err := keys.LoadKey(signerKS, []byte("a long password"))
	if err != nil || !strings.Contains(out, signer.String()) {
		t.Fatalf("relayer keys printed %q; key %s (%v)", out, signer, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := sys.SetBalance(ctx, signer, new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil)); err != nil { // gas for the hot key
		t.Fatal(err)
	}

	matcherAddr := freeAddr(t)
	common := []string{"--database-url", dsn, "--deployment", deployment}
	relayerFlags := append(append([]string{}, common...), "--rpc-url", sys.URL, "--matcher-url", "http://"+matcherAddr,
		"--data-dir", filepath.Join(dir, "relayer"), "--signer-keystore", signerKS, "--signer-password-file", pw,
		"--operator-keystore", operatorKS, "--operator-password-file", pw, "--confirmations", "2")
	type proc struct {
		name   string
		stderr *syncBuffer
		done   chan int
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var procs []*proc
	start := func(name string, args ...string) *proc {
		p := &proc{name: name, stderr: &syncBuffer{}, done: make(chan int, 1)}
		go func() { p.done <- run(runCtx, append([]string{"gpumarket"}, args...), &syncBuffer{}, p.stderr) }()
		procs = append(procs, p)
		return p
	}
	start("indexer", append([]string{"indexer", "run", "--rpc-url", sys.URL, "--listen", freeAddr(t), "--confirmations", "2"}, common...)...)
	start("matcher", append([]string{"matcher", "run", "--keystore", matcherKS, "--password-file", pw, "--listen", matcherAddr,
		"--offer-ttl", "30s", "--data-dir", t.TempDir()}, common...)...)

	// A saved `relayer check` report: register attaches its figure for a
	// model the profile serves.
	checked := time.Now().Unix() - 10
	if err := hardware.SaveCheckReport(filepath.Join(dir, "relayer", hardware.CheckReportFile), &hardware.CheckReport{CheckedAt: checked,
		Results: []hardware.CheckResult{{Engine: "openai", Kind: gpumarket.JobKindLLM, Models: []string{"mistral-7b-instruct"},
			Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 77_000, MeasuredAt: checked}}}); err != nil {
		t.Fatal(err)
	}
	var regOut, regErr bytes.Buffer
	code = run(ctx, append([]string{"gpumarket", "relayer", "register", "--profile", "../../relayer/hardware/testdata/profile-h100.json"}, relayerFlags...), &regOut, &regErr)
	if code != 0 || !strings.Contains(regOut.String(), "registered") {
		t.Fatalf("relayer register: exit %d\n%s\n%s", code, regOut.String(), lastLines(regErr.String(), 20))
	}
	saved, err := daemon.LoadSignedAttestation(filepath.Join(dir, "relayer", "attestation.json"))
	if err != nil {
		t.Fatal(err)
	}
	att, err := gpumarket.DecodeAttestation(bytes.NewReader(saved.Attestation))
	if err != nil {
		t.Fatal(err)
	}
	if b := att.Benchmark(gpumarket.JobKindLLM, "mistral-7b-instruct"); b == nil || b.ValueMilli != 77_000 || b.MeasuredAt != checked {
		t.Fatalf("registered attestation's benchmarks = %+v, want the checked mistral-7b-instruct figure", att.Benchmarks)
	}
	start("relayer", append([]string{"relayer", "run", "--executor", "demo", "--result-listen", freeAddr(t), "--withdraw-schedule", "@every 2s"}, relayerFlags...)...)

	// A client posts an llm job for a model the profile serves.
	spec, err := synthetic.NewJobSpec(gpumarket.JobKindLLM, "llama-3-8b-instruct-q4", map[string]any{"prompt": "hello", "max_tokens": 8},
		gpumarket.Requirements{MinVRAMMiB: 16_000, GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 100, OutputTokens: 100}})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := client.New("http://"+matcherAddr, sys.ChainID.Uint64(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var h gpumarket.Hash
	for deadline := time.Now().Add(30 * time.Second); ; {
		if h, err = mc.PostSpec(ctx, spec); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("upload spec: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	market, closeRPC, err := market.DialMarket(ctx, sys.URL, sys.ChainID.Uint64(), gpumarket.Address(sys.Market), gpumarket.Address(sys.Registry))
	if err != nil {
		t.Fatal(err)
	}
	defer closeRPC()
	id, _, err := market.ApproveAndCreateJob(ctx, sys.Opts(t, 1), &eip712.JobParams{Kind: gpumarket.JobKindLLM,
		Token: gpumarket.Address(sys.Stablecoin), MaxPayment: big.NewInt(1_000_000), Deadline: uint64(time.Now().Add(10 * time.Minute).Unix()),
		SpecHash: h, SpecURI: "http://" + matcherAddr + "/v1/specs/" + h.String()})
	if err != nil {
		t.Fatal(err)
	}

	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sql := postgrestest.Open(t, dsn)
	chain := postgres.NewChainState(db, sys.ChainID.Uint64())
	operator := keys.KeyAddress(sys.Key(3))
	for deadline := time.Now().Add(2 * time.Minute); ; {
		j, err := chain.Job(ctx, id)
		owed, berr := market.BalanceOf(ctx, gpumarket.Address(sys.Stablecoin), operator)
		if err == nil && j.State == gpumarket.JobStateSettled && j.Provider == operator && berr == nil && owed.Sign() == 0 {
			break
		}
		if time.Now().After(deadline) {
			var state string
			if j != nil {
				state = j.State.String()
			}
			msg := fmt.Sprintf("job %d is %q (%v), provider owed %v (%v), want settled and withdrawn", id, state, err, owed, berr)
			for _, p := range procs {
				msg += "\n--- " + p.name + "\n" + lastLines(p.stderr.String(), 15)
			}
			t.Fatal(msg)
		}
		time.Sleep(300 * time.Millisecond)
	}
	// The withdrawal that emptied the balance reaches its confirmations.
	for deadline := time.Now().Add(30 * time.Second); ; {
		var withdrawn int64
		if err := sql.TryQueryRow(ctx, `SELECT count(*) FROM tx_intents WHERE sender = $1 AND key LIKE 'withdraw-%' AND state = 'confirmed'`,
			[]any{operator[:]}, &withdrawn); err != nil {
			t.Fatal(err)
		}
		if withdrawn > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no confirmed withdrawal by the operator")
		}
		time.Sleep(300 * time.Millisecond)
	}

	stop()
	for _, p := range procs {
		select {
		case c := <-p.done:
			if c != 0 {
				t.Errorf("%s exited %d on cancellation:\n%s", p.name, c, lastLines(p.stderr.String(), 15))
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not stop within 30 s of cancellation", p.name)
		}
	}
	for _, p := range procs {
		if strings.Contains(p.stderr.String(), "a long password") {
			t.Errorf("%s logged the keystore password", p.name)
		}
	}
	// The start lines show the contracts the deployment file names, and no
	// line carries a key twice (the tx manager's intent key beside the
	// daemon's role).
	wantMarket, wantRegistry := "market="+gpumarket.Address(sys.Market).String(), "registry="+gpumarket.Address(sys.Registry).String()
	for _, p := range append(procs, &proc{name: "register", stderr: &syncBuffer{b: regErr}}) {
		for _, line := range strings.Split(p.stderr.String(), "\n") {
			if strings.Contains(line, " starting") && (!strings.Contains(line, wantMarket) || !strings.Contains(line, wantRegistry)) {
				t.Errorf("%s: start line lacks the deployment's %s and %s: %s", p.name, wantMarket, wantRegistry, line)
			}
			if strings.Count(line, " key=") > 1 {
				t.Errorf("%s: key= appears twice: %s", p.name, line)
			}
		}
	}
	if !strings.Contains(procs[2].stderr.String(), `msg="transaction final"`) {
		t.Errorf("the relayer logged no final transaction:\n%s", lastLines(procs[2].stderr.String(), 15))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
