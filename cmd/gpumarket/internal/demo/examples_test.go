package demo

import (
	"bytes"
	"context"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// exampleBudget is the max payment the tour prints for the examples: 5 USDT.
var exampleBudget = usdt(500)

// TestExamplesServedByDemoProviders: every spec in examples/ (one per kind)
// and testdata/jobspec.json decodes strictly, passes the matcher's hard
// filters for at least one demo provider at the tour's budget, and, for
// examples/, runs on the demo's executor.
func TestExamplesServedByDemoProviders(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..")
	token := gpumarket.Address{0x05}
	kinds := map[gpumarket.JobKind]bool{}
	files := []string{filepath.Join(root, "testdata", "jobspec.json")}
	for _, k := range []string{"render", "tts", "stt", "llm"} {
		files = append(files, filepath.Join(root, "examples", k+".json"))
	}
	for i, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := gpumarket.DecodeJobSpec(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("DecodeJobSpec(%s) = %v", path, err)
			}
			req := &matcher.Request{Job: &gpumarket.Job{ID: 1, Kind: spec.Kind, Token: token, MaxPayment: exampleBudget}, Spec: spec}
			if err := req.Validate(); err != nil {
				t.Fatal(err)
			}
			params := matcher.DefaultParams()
			var servedBy []string
			var why []string
			for _, p := range providerProfiles() {
				att := p.att
				att.Provider, att.Token = gpumarket.Address{0x0a, byte(len(servedBy))}, token
				att.IssuedAt, att.ExpiresAt = time.Now().Unix()-60, time.Now().Unix()+3600
				c := &matcher.Candidate{Provider: att.Provider, Status: gpumarket.ProviderOnline, Attestation: &att,
					Stake: new(big.Int).Mul(big.NewInt(500), e18), Reputation: matcher.Scale / 2}
				rej, cost := matcher.Check(req, c, &params, time.Now())
				if rej.Reason == matcher.Eligible {
					servedBy = append(servedBy, p.name+" at "+cost.String())
				} else {
					why = append(why, p.name+": "+rej.Reason.String()+" "+rej.Detail)
				}
			}
			if len(servedBy) == 0 {
				t.Fatalf("%s (%s %s): no demo provider serves it: %v", path, spec.Kind, spec.Model, why)
			}
			t.Logf("%s %s served by %v", spec.Kind, spec.Model, servedBy)
			if i == 0 {
				return // testdata/jobspec.json is a wire example, not the demo executor's format
			}
			kinds[spec.Kind] = true
			res, err := synthetic.New(nil).Run(context.Background(), executor.Job{ID: 1, Kind: spec.Kind, Spec: b})
			if err != nil || len(res.Body) == 0 {
				t.Fatalf("the demo executor cannot run %s: %v", path, err)
			}
			// With espeak-ng and pocketsphinx installed the demo's providers
			// run speech jobs on them: the example must pass their preflight too.
			launch := speech.Launch{WorkRoot: t.TempDir(), Preflight: executor.PreflightConfig{Models: map[gpumarket.JobKind][]string{spec.Kind: {spec.Model}}}}
			var engine executor.Executor
			switch spec.Kind {
			case gpumarket.JobKindTTS:
				engine, err = speech.NewESpeak(speech.ESpeakConfig{Launch: launch}, slog.New(slog.DiscardHandler))
			case gpumarket.JobKindSTT:
				engine, err = speech.NewPocketsphinx(speech.PocketsphinxConfig{Launch: launch}, slog.New(slog.DiscardHandler))
			default:
				return
			}
			if err != nil {
				t.Logf("%s engine unavailable (%v): the demo runs %s on its own executor", spec.Kind, err, path)
				return
			}
			if err := engine.Preflight(context.Background(), executor.Job{ID: 1, Kind: spec.Kind, Spec: b}); err != nil {
				t.Fatalf("the demo's %s engine refuses %s: %v", spec.Kind, path, err)
			}
		})
	}
	if len(kinds) != 4 {
		t.Fatalf("examples cover kinds %v, want all four", kinds)
	}
}
