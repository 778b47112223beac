package demo

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/daemon"
)

// provider is one of the demo's three GPU providers.
type provider struct {
	name     string
	short    string // column label
	att      gpumarket.Attestation
	operator party // registered provider address: stake and earnings
	signer   party // hot key: accepts, submissions, settlements, heartbeats
	d        *daemon.Daemon
}

func price(unit gpumarket.PriceUnit, amount int64) gpumarket.Price {
	return gpumarket.Price{Unit: unit, Amount: big.NewInt(amount)}
}

// providerProfiles are the three attested machines. Prices are in USDT base
// units (6 decimals) per unit.
func providerProfiles() []*provider {
	return []*provider{
		{name: "H100 node", short: "h100", att: gpumarket.Attestation{
			GPUModel: "NVIDIA H100 80GB HBM3", GPUCount: 1, VRAMMiB: 81559, Architecture: gpumarket.ArchNVIDIA,
			CUDAVersion: "12.4", DriverVersion: "550.90.07", ComputeCapability: "9.0", Slots: 4, Region: "eu-central",
			Capabilities: []gpumarket.Capability{
				{Kind: gpumarket.JobKindRender, Models: []string{"cycles-4.1", "mandelbrot"},
					Prices: []gpumarket.Price{price(gpumarket.UnitFrame, 250_000), price(gpumarket.UnitGPUSecond, 2_000)}},
				{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-70b-instruct", "llama-3-8b-instruct"},
					Prices: []gpumarket.Price{price(gpumarket.UnitKTokens, 600_000)}},
			},
			Benchmarks: []gpumarket.Benchmark{{Kind: gpumarket.JobKindLLM, Model: "llama-3-70b-instruct", Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 41_200, MeasuredAt: 1_750_000_000}},
		}},
		{name: "RTX 4090 node", short: "4090", att: gpumarket.Attestation{
			GPUModel: "NVIDIA GeForce RTX 4090", GPUCount: 1, VRAMMiB: 24564, Architecture: gpumarket.ArchNVIDIA,
			CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "8.9", Slots: 3, Region: "us-east",
			Capabilities: []gpumarket.Capability{
				{Kind: gpumarket.JobKindTTS, Models: []string{"piper-en-amy", "xtts-v2"},
					Prices: []gpumarket.Price{price(gpumarket.UnitKChars, 300_000)}},
				{Kind: gpumarket.JobKindSTT, Models: []string{"whisper-large-v3", "whisper-small"},
					Prices: []gpumarket.Price{price(gpumarket.UnitAudioMinute, 200_000)}},
			},
		}},
		{name: "Apple M2 Max", short: "m2max", att: gpumarket.Attestation{
			GPUModel: "Apple M2 Max", GPUCount: 1, VRAMMiB: 32768, Architecture: gpumarket.ArchApple,
			DriverVersion: "macOS 14.5 (Metal 3)", Slots: 2, Region: "eu-west",
			Capabilities: []gpumarket.Capability{
				{Kind: gpumarket.JobKindSTT, Models: []string{"whisper-small"},
					Prices: []gpumarket.Price{price(gpumarket.UnitAudioMinute, 150_000)}},
				{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b-instruct"},
					Prices: []gpumarket.Price{price(gpumarket.UnitKTokens, 400_000)}},
			},
		}},
	}
}

// registerProviders registers and stakes every provider (in parallel), then
// builds their daemons (run by the scenario).
func (d *demo) registerProviders(ctx context.Context, matcherURL string) error {
	now := time.Now().Unix()
	errs := make(chan error, len(d.providers))
	for _, p := range d.providers {
		go func() {
			p.att.Provider = p.operator.addr
			p.att.Token = d.sys.Stablecoin
			p.att.IssuedAt, p.att.ExpiresAt = now-60, now+7*24*3600
			_, err := daemon.Register(ctx, daemon.Registration{
				ChainID: d.chainID, Market: d.sys.Market, Registry: d.sys.Registry, NodeURL: d.node.URL,
				MatcherURL: matcherURL, Attestation: &p.att, Stake: new(big.Int).Mul(big.NewInt(500), e18),
				MetadataURI: "https://example.invalid/providers/" + p.short, TxConfig: daemon.TxConfig{PollInterval: 200 * time.Millisecond},
				DocumentPath: filepath.Join(d.runDir, "providers", p.short, "attestation.json"),
			}, daemon.Keys{Signer: p.signer.key, Operator: p.operator.key}, d.db, d.log.With("component", "register", "who", p.short))
			if err != nil {
				err = fmt.Errorf("register %s: %w", p.name, err)
			}
			errs <- err
		}()
	}
	var first error
	for range d.providers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	for _, p := range d.providers {
		kinds := map[gpumarket.JobKind]bool{}
		for _, c := range p.att.Capabilities {
			kinds[c.Kind] = true
		}
		exec, err := d.providerExecutor(p, d.log.With("component", "executor", "who", p.short))
		if err != nil {
			return err
		}
		p.d, err = daemon.New(ctx, daemon.Config{
			Config: relayer.Config{Provider: p.operator.addr, Market: d.sys.Market, Capacity: int(p.att.Slots),
				AcceptMargin: 3 * time.Second, MinRunTime: 10 * time.Second,
				CanServe: func(k gpumarket.JobKind) bool { return kinds[k] }},
			ChainID: d.chainID, Registry: d.sys.Registry,
			NodeURL: d.node.URL, MatcherURL: matcherURL, ResultDir: filepath.Join(d.runDir, "providers", p.short, "results"),
			TickEvery: time.Second, HeartbeatEvery: 5 * time.Second,
			WithdrawSchedule: "@every 10s", WithdrawTokens: []gpumarket.Address{d.sys.Stablecoin},
			TxConfig: daemon.TxConfig{PollInterval: 200 * time.Millisecond},
		}, daemon.Keys{Signer: p.signer.key, Operator: p.operator.key}, d.db,
			exec, d.log.With("component", "relayer", "who", p.short))
		if err != nil {
			return fmt.Errorf("start relayer of %s: %w", p.name, err)
		}
	}
	return nil
}
