package ethtest_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
)

// TestDeploySystem deploys with the defaults and with every role moved
// (admin hand-over included) and checks, by calling the contracts, that the
// wiring, roles, allowlist, configuration and minted balances are what the
// config and the System value say; then that the deployment file round-trips
// through gpumarket.LoadDeployment.
func TestDeploySystem(t *testing.T) {
	zeroFee := uint16(0)
	tests := []struct {
		name string
		cfg  ethtest.SystemConfig
		want struct{ admin, matcher, arbiter, pauser, feeManager, treasury int }
		fee  uint16
	}{
		{name: "defaults", want: struct{ admin, matcher, arbiter, pauser, feeManager, treasury int }{0, 9, 8, 0, 0, 7}, fee: 250},
		{
			name: "custom roles",
			cfg: ethtest.SystemConfig{
				Admin: ethtest.Dev(5), Matcher: ethtest.Dev(1), Arbiter: ethtest.Dev(2), Pauser: ethtest.Dev(3),
				FeeManager: ethtest.Dev(4), Treasury: ethtest.Dev(6), FeeBps: &zeroFee, ChallengeWindow: 7,
			},
			want: struct{ admin, matcher, arbiter, pauser, feeManager, treasury int }{5, 1, 2, 3, 4, 6},
			fee:  0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ethtest.DeploySystem(t, tt.cfg)
			mkt := bindings.NewJobMarketplace()
			market := mkt.Instance(s.Client, s.Market)
			reg := bindings.NewProviderRegistry()
			registry := reg.Instance(s.Client, s.Registry)

			if got, err := bind.Call(registry, nil, reg.PackMarketplace(), reg.UnpackMarketplace); err != nil || got != s.Market {
				t.Fatalf("registry.marketplace() = %s, %v, want %s", got, err, s.Market)
			}
			if got, err := bind.Call(market, nil, mkt.PackRegistry(), mkt.UnpackRegistry); err != nil || got != s.Registry {
				t.Fatalf("market.registry() = %s, %v, want %s", got, err, s.Registry)
			}
			if got, err := bind.Call(registry, nil, reg.PackStakingToken(), reg.UnpackStakingToken); err != nil || got != s.StakingToken {
				t.Fatalf("registry.stakingToken() = %s, %v, want %s", got, err, s.StakingToken)
			}
			if got, err := bind.Call(market, nil, mkt.PackIsTokenAllowed(s.Stablecoin), mkt.UnpackIsTokenAllowed); err != nil || !got {
				t.Fatalf("isTokenAllowed(stablecoin) = %v, %v", got, err)
			}
			if got, err := bind.Call(market, nil, mkt.PackProtocolFeeBps(), mkt.UnpackProtocolFeeBps); err != nil || got != tt.fee {
				t.Fatalf("protocolFeeBps() = %d, %v, want %d", got, err, tt.fee)
			}
			if got, err := bind.Call(market, nil, mkt.PackChallengeWindow(), mkt.UnpackChallengeWindow); err != nil || got.Uint64() != s.Config.ChallengeWindow {
				t.Fatalf("challengeWindow() = %v, %v, want %d", got, err, s.Config.ChallengeWindow)
			}
			if got, err := bind.Call(market, nil, mkt.PackTreasury(), mkt.UnpackTreasury); err != nil || got != s.Addrs[tt.want.treasury] {
				t.Fatalf("treasury() = %s, %v, want dev %d", got, err, tt.want.treasury)
			}
			role := func(pack []byte, unpack func([]byte) ([32]byte, error)) [32]byte {
				r, err := bind.Call(market, nil, pack, unpack)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			roles := []struct {
				name string
				id   [32]byte
				dev  int
			}{
				{"admin", [32]byte{}, tt.want.admin},
				{"matcher", role(mkt.PackMATCHERROLE(), mkt.UnpackMATCHERROLE), tt.want.matcher},
				{"arbiter", role(mkt.PackARBITERROLE(), mkt.UnpackARBITERROLE), tt.want.arbiter},
				{"pauser", role(mkt.PackPAUSERROLE(), mkt.UnpackPAUSERROLE), tt.want.pauser},
				{"feeManager", role(mkt.PackFEEMANAGERROLE(), mkt.UnpackFEEMANAGERROLE), tt.want.feeManager},
			}
			for _, r := range roles {
				for i, a := range s.Addrs {
					has, err := bind.Call(market, nil, mkt.PackHasRole(r.id, a), mkt.UnpackHasRole)
					if err != nil {
						t.Fatal(err)
					}
					if has != (i == r.dev) {
						t.Errorf("hasRole(%s, dev %d) = %v, want %v", r.name, i, has, i == r.dev)
					}
				}
				if s.Deployment.Roles[r.name] != gpumarket.Address(s.Addrs[r.dev]) {
					t.Errorf("Deployment.Roles[%s] = %s, want dev %d", r.name, s.Deployment.Roles[r.name], r.dev)
				}
			}
			for _, a := range s.Addrs {
				if got := s.TokenBalance(t, s.Stablecoin, a); got.Cmp(s.Config.StablecoinMint) != 0 {
					t.Errorf("USDT balance of %s = %v, want %v", a, got, s.Config.StablecoinMint)
				}
				if got := s.TokenBalance(t, s.StakingToken, a); got.Cmp(s.Config.StakeMint) != 0 {
					t.Errorf("GPUS balance of %s = %v, want %v", a, got, s.Config.StakeMint)
				}
			}
			erc20 := bindings.NewTestERC20()
			if d, err := bind.Call(erc20.Instance(s.Client, s.Stablecoin), nil, erc20.PackDecimals(), erc20.UnpackDecimals); err != nil || d != 6 {
				t.Fatalf("stablecoin decimals = %d, %v, want 6", d, err)
			}
			if sym, err := bind.Call(erc20.Instance(s.Client, s.Stablecoin), nil, erc20.PackSymbol(), erc20.UnpackSymbol); err != nil || sym != "USDT" {
				t.Fatalf("stablecoin symbol = %q, %v, want USDT", sym, err)
			}

			path := filepath.Join(t.TempDir(), "deployment.json")
			if err := s.WriteDeploymentFile(path); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), `"JobMarketplace": "`+s.Market.Hex()+`"`) {
				t.Fatalf("deployment file does not hold the checksummed marketplace %s:\n%s", s.Market.Hex(), raw)
			}
			got, err := gpumarket.LoadDeployment(path)
			if err != nil {
				t.Fatalf("LoadDeployment of the written file: %v", err)
			}
			if got.ChainID != anvil.ChainID || got.DeployBlock != s.DeployBlock || got.DeployBlock == 0 ||
				got.Contracts[gpumarket.ContractMarket] != gpumarket.Address(s.Market) ||
				got.Contracts[gpumarket.ContractRegistry] != gpumarket.Address(s.Registry) ||
				!reflect.DeepEqual(got.Roles, s.Deployment.Roles) || got.Deployer != gpumarket.Address(s.Addrs[0]) {
				t.Fatalf("LoadDeployment = %+v, want %+v", got, s.Deployment)
			}
			var tokens struct {
				StakingToken  common.Address   `json:"stakingToken"`
				Stablecoin    common.Address   `json:"stablecoin"`
				PaymentTokens []common.Address `json:"paymentTokens"`
			}
			if err := json.Unmarshal(got.Tokens, &tokens); err != nil || tokens.StakingToken != s.StakingToken ||
				tokens.Stablecoin != s.Stablecoin || !reflect.DeepEqual(tokens.PaymentTokens, []common.Address{s.Stablecoin}) {
				t.Fatalf("tokens = %+v, %v", tokens, err)
			}
			var config map[string]any
			if err := json.Unmarshal(got.Config, &config); err != nil {
				t.Fatal(err)
			}
			wantConfig := map[string]any{
				"protocolFeeBps": float64(tt.fee), "maxProtocolFeeBps": float64(1000), "maxCreatorShareBps": float64(2000),
				"challengeWindow": float64(s.Config.ChallengeWindow), "disputeTimeout": float64(120), "maxJobDuration": float64(3600),
				"unbondingPeriod":  float64(s.Config.ChallengeWindow + 120 + 3600),
				"minStake":         "100000000000000000000",
				"reservationFloor": "10000000000000000000", "reservationCap": "500000000000000000000", "reservationBps": float64(1000),
				"disputeBondBps": float64(500), "disputeBondFloor": "0", "adminDelay": float64(0),
			}
			if !reflect.DeepEqual(config, wantConfig) {
				t.Fatalf("config = %v, want %v (the deploy script's keys)", config, wantConfig)
			}
		})
	}
}

// TestClock checks the anvil clock helpers: IncreaseTime moves the next
// block's timestamp forward by at least the amount, SetNextBlockTimestamp
// fixes it exactly.
func TestClock(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{})
	head := func() uint64 {
		h, err := c.Client.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h.Time
	}
	before := head()
	if err := c.IncreaseTime(ctx, 10_000); err != nil {
		t.Fatal(err)
	}
	if err := c.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := head(); got < before+10_000 {
		t.Fatalf("timestamp after IncreaseTime(10000) = %d, want >= %d", got, before+10_000)
	}
	target := head() + 5_000
	if err := c.SetNextBlockTimestamp(ctx, target); err != nil {
		t.Fatal(err)
	}
	if err := c.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := head(); got != target {
		t.Fatalf("timestamp after SetNextBlockTimestamp(%d) = %d", target, got)
	}
	if err := c.SetNextBlockTimestamp(ctx, target-1); err == nil {
		t.Fatalf("SetNextBlockTimestamp into the past succeeded")
	}
}

// TestDeploymentFileShape compares the file WriteDeploymentFile produces
// with a file the real deploy script wrote (forge script
// contracts/script/Deploy.s.sol on anvil with
// GPUMARKET_DEPLOY_TEST_STABLECOIN=true, saved in testdata): the same keys
// at every level, with values of the same JSON types. Values differ (test
// windows, roles), addresses do not: both deploy in the same order from dev
// account 0, so the contracts land at the same addresses.
func TestDeploymentFileShape(t *testing.T) {
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	read := func(p string) map[string]any {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	ours, forge := read(path), read("testdata/deployment.forge.json")
	var shape func(v any) any
	shape = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				out[k] = shape(e)
			}
			return out
		case []any:
			out := []any{}
			for _, e := range x {
				out = append(out, shape(e))
			}
			return out
		default:
			return reflect.TypeOf(v).String()
		}
	}
	if got, want := shape(ours), shape(forge); !reflect.DeepEqual(got, want) {
		t.Fatalf("deployment file shape = %v, deploy script's = %v", got, want)
	}
	for _, k := range []string{"JobMarketplace", "ProviderRegistry"} {
		if o, f := ours["contracts"].(map[string]any)[k], forge["contracts"].(map[string]any)[k]; o != f {
			t.Errorf("contracts.%s = %v, deploy script put it at %v", k, o, f)
		}
	}
}
