package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/pgtest"
)

// jobStack is the whole market started in process through the CLI
// (indexer, matcher, one registered relayer with the demo executor, or the
// engines startJobStack is given), for the client commands.
type jobStack struct {
	sys        *ethtest.System
	deployment string
	matcherURL string
	market     *market.Market
	dir        string
	procs      []*jobProc
	// stopRelayer stops the provider (its jobs then wait for their deadline).
	stopRelayer func()
}

type jobProc struct {
	name   string
	stderr *syncBuffer
	done   chan int
}

// startJobStack starts the stack. engineArgs, when given, replace the
// relayer's --executor demo (such as --engine render=blender).
func startJobStack(t *testing.T, ctx context.Context, engineArgs ...string) *jobStack {
	t.Helper()
	sys := ethtest.DeploySystem(t, ethtest.SystemConfig{Anvil: anvil.Config{BlockTime: time.Second, SlotsInEpoch: 2},
		ChallengeWindow: 20, DisputeTimeout: 60, MaxJobDuration: 900})
	dir := t.TempDir()
	s := &jobStack{sys: sys, dir: dir, deployment: filepath.Join(dir, "deployment.json")}
	if err := sys.WriteDeploymentFile(s.deployment); err != nil {
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
	matcherKS, operatorKS, signerKS := keystore("matcher", sys.Matcher), keystore("operator", 3), keystore("signer", 4)
	matcherAddr := freeAddr(t)
	s.matcherURL = "http://" + matcherAddr
	common := []string{"--database-url", dsn, "--deployment", s.deployment}
	relayerFlags := append(append([]string{}, common...), "--rpc-url", sys.URL, "--matcher-url", s.matcherURL,
		"--data-dir", filepath.Join(dir, "relayer"), "--signer-keystore", signerKS, "--signer-password-file", pw,
		"--operator-keystore", operatorKS, "--operator-password-file", pw, "--confirmations", "1")
	runCtx, stop := context.WithCancel(ctx)
	relayerCtx, stopRelayer := context.WithCancel(runCtx)
	s.stopRelayer = stopRelayer
	start := func(name string, args ...string) {
		p := &jobProc{name: name, stderr: &syncBuffer{}, done: make(chan int, 1)}
		ctx := runCtx
		if name == "relayer" {
			ctx = relayerCtx
		}
		go func() { p.done <- run(ctx, append([]string{"gpumarket"}, args...), &syncBuffer{}, p.stderr) }()
		s.procs = append(s.procs, p)
	}
	t.Cleanup(func() {
		stop()
		for _, p := range s.procs {
			select {
			case <-p.done:
			case <-time.After(30 * time.Second):
				t.Errorf("%s did not stop", p.name)
			}
		}
	})
	start("indexer", append([]string{"indexer", "run", "--rpc-url", sys.URL, "--listen", freeAddr(t), "--confirmations", "1"}, common...)...)
	start("matcher", append([]string{"matcher", "run", "--keystore", matcherKS, "--password-file", pw, "--listen", matcherAddr,
		"--offer-ttl", "30s", "--data-dir", t.TempDir()}, common...)...)
	var regOut, regErr bytes.Buffer
	if code := run(ctx, append([]string{"gpumarket", "relayer", "register", "--profile", "testdata/profile-all-kinds.json"}, relayerFlags...), &regOut, &regErr); code != 0 {
		t.Fatalf("relayer register: exit %d\n%s\n%s", code, regOut.String(), lastLines(regErr.String(), 20))
	}
	if len(engineArgs) == 0 {
		engineArgs = []string{"--executor", "demo"}
	}
	start("relayer", append(append([]string{"relayer", "run", "--result-listen", freeAddr(t), "--withdraw-schedule", "@every 1h"}, engineArgs...), relayerFlags...)...)
	m, closeRPC, err := market.DialMarket(ctx, sys.URL, sys.ChainID.Uint64(), gpumarket.Address(sys.Market), gpumarket.Address(sys.Registry))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeRPC)
	s.market = m
	return s
}

// keyFile writes dev account i's key as a private key file.
func (s *jobStack) keyFile(t *testing.T, name string, key string) string {
	t.Helper()
	p := filepath.Join(s.dir, name+".key")
	if err := os.WriteFile(p, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// job runs `gpumarket job <args>` with the stack's connection flags.
func (s *jobStack) job(t *testing.T, ctx context.Context, keyFile string, args ...string) (int, string, string) {
	t.Helper()
	full := append([]string{"gpumarket", "job"}, args...)
	full = append(full, "--rpc-url", s.sys.URL, "--deployment", s.deployment, "--matcher-url", s.matcherURL, "--poll-interval", "300ms")
	if keyFile != "" {
		full = append(full, "--private-key-file", keyFile)
	}
	var out, errOut syncBuffer
	code := run(ctx, full, &out, &errOut)
	return code, out.String(), errOut.String()
}

func (s *jobStack) logs() string {
	var b strings.Builder
	for _, p := range s.procs {
		b.WriteString("\n--- " + p.name + "\n" + lastLines(p.stderr.String(), 15))
	}
	return b.String()
}

func devKeyHex(s *ethtest.System, i int) string {
	return strings.TrimPrefix(keys.FormatKey(s.Key(i)), "0x")
}

// TestJobCommandsEndToEnd is a client's tour on a real stack: bad input is
// refused with its exit code and no transaction; `job run` takes an llm
// prompt to a result verified against the chain's hash; submit, watch and
// result work separately; a result is disputed; a job nobody takes is
// refunded after its deadline; list shows them all.
func TestJobCommandsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	s := startJobStack(t, ctx)
	alice := s.keyFile(t, "alice", devKeyHex(s.sys, 1))
	aliceAddr := keys.KeyAddress(s.sys.Key(1))
	llm := []string{"--kind", "llm", "--model", "llama-3-8b-instruct-q4", "--prompt", "explain reorgs", "--max-tokens", "8", "--min-vram-mib", "16000"}

	// The matcher quotes once the provider is attested and priced.
	var quoted bool
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		code, out, _ := s.job(t, ctx, "", append([]string{"quote"}, llm...)...)
		if code == 0 && strings.Contains(out, "market band") {
			quoted = true
			break
		}
	}
	if !quoted {
		_, _, errOut := s.job(t, ctx, "", append([]string{"quote"}, llm...)...)
		t.Fatalf("job quote never succeeded: %s%s", errOut, s.logs())
	}

	// Bad input: a clear error, its exit code, and no transaction.
	big40k := filepath.Join(s.dir, "big.blend")
	if err := os.WriteFile(big40k, bytes.Repeat([]byte{1}, 40<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	poor := s.keyFile(t, "poor", "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	poorAddr, _ := keys.ParseKey("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err := s.sys.SetBalance(ctx, keys.KeyAddress(poorAddr), big.NewInt(1e18)); err != nil {
		t.Fatal(err)
	}
	wrongChain := filepath.Join(s.dir, "wrong-chain.json")
	raw, _ := os.ReadFile(s.deployment)
	var dm map[string]any
	if err := json.Unmarshal(raw, &dm); err != nil {
		t.Fatal(err)
	}
	dm["chainId"] = 999
	raw, _ = json.Marshal(dm)
	if err := os.WriteFile(wrongChain, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	nonceBefore, err := s.market.Nonce(ctx, aliceAddr)
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name     string
		key      string
		args     []string
		wantCode int
		wantMsg  string
	}{
		{"missing file", alice, []string{"submit", "--kind", "render", "--model", "blender-4.1-cycles", "--input", filepath.Join(s.dir, "nope.blend"), "--max-price", "1"}, exitInvalid, "does not exist"},
		{"file over the inline limit", alice, []string{"submit", "--kind", "render", "--model", "blender-4.1-cycles", "--input", big40k, "--input-store", "inline", "--max-price", "1"}, exitInvalid, "at most 32768 bytes"},
		{"unknown input store", alice, []string{"submit", "--kind", "render", "--model", "blender-4.1-cycles", "--input", big40k, "--input-store", "s3", "--max-price", "1"}, exitInvalid, `--input-store (GPUMARKET_JOB_INPUT_STORE): "s3" is not auto, inline or matcher`},
		{"unsupported kind", alice, []string{"submit", "--kind", "video", "--model", "x", "--max-price", "1"}, exitInvalid, "--kind (GPUMARKET_JOB_KIND)"},
		{"unsupported model", alice, append([]string{"submit", "--max-price", "1"}, replace(llm, "llama-3-8b-instruct-q4", "gpt-99")...), exitNoProvider, "these are served: "},
		{"below the band", alice, append([]string{"submit", "--max-price-base", "1"}, llm...), exitBelowBand, "below the market band"},
		{"insufficient balance", poor, append([]string{"submit", "--max-price", "1"}, llm...), exitInvalid, "holds 0 USDT"},
		{"insufficient allowance", alice, append([]string{"submit", "--max-price", "1", "--funding", "none"}, llm...), exitInvalid, "approve it"},
		{"unknown token", alice, append([]string{"submit", "--max-price", "1", "--token", "DAI"}, llm...), exitInvalid, "not a payment token"},
		{"too many decimals", alice, append([]string{"submit", "--max-price", "0.0000001"}, llm...), exitInvalid, "--max-price (GPUMARKET_JOB_MAX_PRICE)"},
		{"unknown job", alice, []string{"refund", "--job", "999"}, exitNotFoundOrFailure, "no JobCreated"},
		{"no key", "", append([]string{"submit", "--max-price", "1"}, llm...), exitInvalid, "--keystore (GPUMARKET_JOB_KEYSTORE)"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := s.job(t, ctx, tc.key, tc.args...)
			if code != tc.wantCode || !strings.Contains(errOut, tc.wantMsg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.wantCode, tc.wantMsg)
			}
		})
	}
	t.Run("wrong chain", func(t *testing.T) {
		full := []string{"gpumarket", "job", "list", "--rpc-url", s.sys.URL, "--deployment", wrongChain, "--matcher-url", s.matcherURL, "--private-key-file", alice}
		var out, errOut bytes.Buffer
		if code := run(ctx, full, &out, &errOut); code != exitInvalid || !strings.Contains(errOut.String(), "is on chain") {
			t.Errorf("exit %d, stderr %q; want %d naming the chain", code, errOut.String(), exitInvalid)
		}
	})
	if n, err := s.market.Nonce(ctx, aliceAddr); err != nil || n != nonceBefore {
		t.Fatalf("alice's nonce went from %d to %d (%v): a refused command sent a transaction", nonceBefore, n, err)
	}

	// job run: from a prompt to a verified result.
	outDir := filepath.Join(s.dir, "out") + string(filepath.Separator)
	code, out, errOut := s.job(t, ctx, alice, append([]string{"run", "--max-price", "1", "--token", "USDT", "--out", outDir}, llm...)...)
	if code != 0 {
		t.Fatalf("job run: exit %d\n%s%s", code, errOut, s.logs())
	}
	path := strings.TrimSpace(out)
	runID := jobIDFromPath(t, path)
	checkResult(t, ctx, s, runID, path, `"done":true`)
	if !strings.Contains(errOut, "verified against the chain") || !strings.Contains(errOut, "funded by permit") {
		t.Errorf("job run stderr lacks the verification or the permit:\n%s", errOut)
	}

	// A dispute of that result, within the challenge window, posts the bond.
	code, _, errOut = s.job(t, ctx, alice, "dispute", "--job", strconv.FormatUint(uint64(runID), 10), "--reason", "the answer is wrong")
	if code != 0 {
		t.Errorf("job dispute: exit %d: %s", code, errOut)
	} else if r, err := s.market.JobRecord(ctx, runID, 0); err != nil || r.State != gpumarket.JobStateDisputed {
		t.Errorf("after dispute job %d = %v (%v), want disputed", runID, r, err)
	} else if bond, err := s.market.DisputeBondFor(ctx, r.Token, r.Price); err != nil || r.DisputeBond == nil || r.DisputeBond.Cmp(bond) != 0 {
		t.Errorf("dispute bond %v, want disputeBondFor = %v (%v)", r.DisputeBond, bond, err)
	}

	// submit, watch, result separately (the allowance path: approve).
	code, out, errOut = s.job(t, ctx, alice, append([]string{"submit", "--max-price", "1", "--funding", "approve"}, replace(llm, "explain reorgs", "second prompt")...)...)
	if code != 0 {
		t.Fatalf("job submit: exit %d: %s", code, errOut)
	}
	id, err := gpumarket.ParseJobID(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("job submit printed %q", out)
	}
	code, out, errOut = s.job(t, ctx, "", "watch", "--job", id.String())
	if code != 0 || strings.TrimSpace(out) != "settled" || !strings.Contains(errOut, "submitted") {
		t.Fatalf("job watch: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	resPath := filepath.Join(s.dir, "second.jsonl")
	code, out, errOut = s.job(t, ctx, alice, "result", "--job", id.String(), "--out", resPath)
	if code != 0 || strings.TrimSpace(out) != resPath {
		t.Fatalf("job result: exit %d, stdout %q: %s", code, out, errOut)
	}
	checkResult(t, ctx, s, id, resPath, `"done":true`)

	// job run for the other kinds, each with its own inputs.
	scene := filepath.Join(s.dir, "scene.blend")
	if err := os.WriteFile(scene, []byte("BLENDER-v401 a tiny scene"), 0o644); err != nil {
		t.Fatal(err)
	}
	audio := filepath.Join(s.dir, "hello.wav")
	if err := os.WriteFile(audio, silentWAV(8000, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		kind string
		args []string
		want string // in the result
	}{
		{"render", []string{"--model", "mandelbrot", "--input", scene, "--frames", "1-2", "--width", "32", "--height", "32", "--min-vram-mib", "16000"}, "\x89PNG"},
		{"tts", []string{"--model", "piper-en-amy", "--text", "Hello from the client."}, "RIFF"},
		{"stt", []string{"--model", "whisper-small", "--audio", audio}, "."},
	} {
		t.Run("run "+k.kind, func(t *testing.T) {
			out := filepath.Join(s.dir, k.kind+".out")
			code, stdout, errOut := s.job(t, ctx, alice, append([]string{"run", "--kind", k.kind, "--max-price", "1", "--out", out}, k.args...)...)
			if code != 0 || strings.TrimSpace(stdout) != out {
				t.Fatalf("job run --kind %s: exit %d, stdout %q\n%s%s", k.kind, code, stdout, errOut, s.logs())
			}
			id := lastJobID(t, errOut)
			checkResult(t, ctx, s, id, out, k.want)
		})
	}

	// A job nobody serves (created without the client's checks) is
	// refunded after its deadline, by anyone.
	spec := []byte(`{"kind":"llm","model":"nobody-serves-this","inputs":[{"name":"params","uri":"data:application/json;base64,e30="}],"requirements":{"min_vram_mib":1,"gpu_count":1,"estimate":{"input_tokens":1}}}`)
	_, now, err := s.market.ChainTime(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lateID, _, err := s.market.ApproveAndCreateJob(ctx, s.sys.Opts(t, 2), &eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: gpumarket.Address(s.sys.Stablecoin),
		MaxPayment: big.NewInt(1_000_000), Deadline: now + 3, SpecHash: keys.Keccak256(spec), SpecURI: "data:,"})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		code, _, errOut = s.job(t, ctx, alice, "refund", "--job", lateID.String())
		if code == 0 {
			break
		}
		if code != exitInvalid || !strings.Contains(errOut, "has not passed") || time.Now().After(deadline) {
			t.Fatalf("job refund: exit %d: %s", code, errOut)
		}
	}
	if r, err := s.market.JobRecord(ctx, lateID, 0); err != nil || r.State != gpumarket.JobStateRefunded || r.ClosedBy != aliceAddr {
		t.Fatalf("after refund job %d = %+v (%v), want refunded by alice", lateID, r, err)
	}

	// list: alice's jobs with state and amounts.
	code, out, errOut = s.job(t, ctx, alice, "list")
	if code != 0 {
		t.Fatalf("job list: exit %d: %s", code, errOut)
	}
	for _, want := range []string{runID.String() + " ", "disputed", "settled", "1 USDT"} {
		if !strings.Contains(out, want) {
			t.Errorf("job list lacks %q:\n%s", want, out)
		}
	}
	// The same wallet from a keystore (as the relayer reads its keys).
	ks := filepath.Join(s.dir, "alice.json")
	if _, err := keys.WriteKey(ks, s.sys.Key(1), []byte("a long password"), true); err != nil {
		t.Fatal(err)
	}
	code, ksOut, errOut := s.job(t, ctx, "", "list", "--keystore", ks, "--password-file", filepath.Join(s.dir, "pw"))
	if code != 0 || ksOut != out {
		t.Errorf("job list with a keystore: exit %d, %q (%s); want the key file's listing", code, ksOut, errOut)
	}
	if strings.Contains(errOut, "a long password") {
		t.Error("job list printed the keystore password")
	}
	// With the provider gone, job run waits for the deadline, refunds the
	// job and says so with its own exit code.
	s.stopRelayer()
	code, _, errOut = s.job(t, ctx, alice, append([]string{"run", "--max-price", "1", "--lifetime", "4s", "--out", filepath.Join(s.dir, "never")}, replace(llm, "explain reorgs", "nobody answers")...)...)
	if code != exitRefunded || !strings.Contains(errOut, "refunded in") {
		t.Errorf("job run with no provider: exit %d, want %d:\n%s", code, exitRefunded, errOut)
	} else if r, err := s.market.JobRecord(ctx, lastJobID(t, errOut), 0); err != nil || r.State != gpumarket.JobStateRefunded {
		t.Errorf("the late job is %v (%v), want refunded", r, err)
	}
	// A provider that serves bytes other than those it committed: result
	// refuses them (exit 7, nothing saved, a dispute offered); the dispute
	// posts the bond.
	lying := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("not what was committed")) }))
	defer lying.Close()
	operator := keys.KeyAddress(s.sys.Key(3))
	_, now, err = s.market.ChainTime(ctx)
	if err != nil {
		t.Fatal(err)
	}
	badID, _, err := s.market.ApproveAndCreateJob(ctx, s.sys.Opts(t, 1), &eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: gpumarket.Address(s.sys.Stablecoin),
		MaxPayment: big.NewInt(500_000), Deadline: now + 600, PreferredProvider: operator, SpecHash: keys.Keccak256(spec), SpecURI: "data:,"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.market.JobRecord(ctx, badID, 0)
	if err != nil {
		t.Fatal(err)
	}
	accept, err := s.market.AcceptPreferredJob(&rec.Job)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.market.Transact(ctx, s.sys.Opts(t, 4), accept); err != nil {
		t.Fatalf("accept as the provider's signer: %v", err)
	}
	if rec, err = s.market.JobRecord(ctx, badID, 0); err != nil {
		t.Fatal(err)
	}
	submit, err := s.market.SubmitResult(&rec.Job, keys.Keccak256([]byte("the committed bytes")), lying.URL+"/v1/results/x", gpumarket.Usage{Units1: 1}, big.NewInt(100_000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.market.Transact(ctx, s.sys.Opts(t, 4), submit); err != nil {
		t.Fatalf("submit result as the provider's signer: %v", err)
	}
	badOut := filepath.Join(s.dir, "bad.out")
	code, _, errOut = s.job(t, ctx, alice, "result", "--job", badID.String(), "--out", badOut)
	if code != exitResultMismatch || !strings.Contains(errOut, "gpumarket job dispute --job "+badID.String()) {
		t.Errorf("job result of a lying provider: exit %d, want %d offering a dispute:\n%s", code, exitResultMismatch, errOut)
	}
	if _, err := os.Stat(badOut); !os.IsNotExist(err) {
		t.Errorf("a mismatching result was saved (%v)", err)
	}
	code, _, errOut = s.job(t, ctx, alice, "dispute", "--job", badID.String(), "--reason", "the result does not match its hash")
	if code != 0 {
		t.Errorf("job dispute: exit %d: %s", code, errOut)
	} else if r, err := s.market.JobRecord(ctx, badID, 0); err != nil || r.State != gpumarket.JobStateDisputed || r.DisputeReason != keys.Keccak256([]byte("the result does not match its hash")) {
		t.Errorf("after dispute job %d = %v (%v), want disputed with the reason's hash", badID, r, err)
	}

	for _, p := range s.procs {
		if strings.Contains(p.stderr.String(), devKeyHex(s.sys, 1)) {
			t.Errorf("%s logged alice's key", p.name)
		}
	}
}

// silentWAV returns a mono 16-bit PCM WAV of seconds of silence at rate.
func silentWAV(rate, seconds int) []byte {
	data := rate * 2 * seconds
	le := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	b := append([]byte("RIFF"), le(36+data)...)
	b = append(b, "WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"...)
	b = append(b, le(rate)...)
	b = append(b, le(rate*2)...)
	b = append(b, 2, 0, 16, 0)
	b = append(b, "data"...)
	b = append(b, le(data)...)
	return append(b, make([]byte, data)...)
}

// lastJobID is the id in the "job N created" line of a job command's stderr.
func lastJobID(t *testing.T, stderr string) gpumarket.JobID {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "job "); ok {
			if n, _, ok := strings.Cut(rest, " created"); ok {
				if id, err := gpumarket.ParseJobID(n); err == nil {
					return id
				}
			}
		}
	}
	t.Fatalf("no job id in %q", stderr)
	return 0
}

// exitNotFoundOrFailure is the exit code of a job id that does not exist
// (ENOTFOUND maps to the generic failure code).
const exitNotFoundOrFailure = exitFailure

func replace(args []string, old, new string) []string {
	out := append([]string{}, args...)
	for i := range out {
		if out[i] == old {
			out[i] = new
		}
	}
	return out
}

func jobIDFromPath(t *testing.T, path string) gpumarket.JobID {
	t.Helper()
	base := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "job-"), ".result")
	id, err := gpumarket.ParseJobID(base)
	if err != nil {
		t.Fatalf("result path %q does not name a job", path)
	}
	return id
}

// checkResult asserts the file at path hashes to job id's result hash
// on-chain and contains want.
func checkResult(t *testing.T, ctx context.Context, s *jobStack, id gpumarket.JobID, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.market.JobRecord(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys.Keccak256(b); got != r.ResultHash || len(b) == 0 {
		t.Fatalf("result of job %d: %d bytes hashing to %s, chain says %s", id, len(b), got, r.ResultHash)
	}
	if !bytes.Contains(b, []byte(want)) {
		t.Errorf("result of job %d lacks %q: %.200q", id, want, b)
	}
}
