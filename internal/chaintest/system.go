package chaintest

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/internal/anvil"
)

// Account names one of the ten dev accounts in a SystemConfig. The zero
// value selects the field's default; use Dev to pick one.
type Account struct {
	set   bool
	index int
}

// Dev names dev account i (0-9).
func Dev(i int) Account { return Account{set: true, index: i} }

func (a Account) or(def int) int {
	if a.set {
		return a.index
	}
	return def
}

// SystemConfig configures DeploySystem. Zero fields take the defaults in
// brackets, chosen so that tests can walk every path in a few calls of
// IncreaseTime: short windows, a small stake.
type SystemConfig struct {
	Anvil anvil.Config // the node DeploySystem starts [automine]

	Admin      Account // DEFAULT_ADMIN_ROLE [dev 0, the deployer]
	Matcher    Account // MATCHER_ROLE [dev 9]
	Arbiter    Account // ARBITER_ROLE [dev 8]
	Pauser     Account // PAUSER_ROLE [dev 0]
	FeeManager Account // FEE_MANAGER_ROLE [dev 0]
	Treasury   Account // protocol fee recipient [dev 7]

	FeeBps             *uint16  // protocol fee [250]; a pointer so that 0 can be asked for
	MaxFeeBps          uint16   // protocol fee cap [1000]
	MaxCreatorShareBps uint16   // creator share cap [2000]
	ChallengeWindow    uint64   // seconds [60]
	DisputeTimeout     uint64   // seconds [120]
	MaxJobDuration     uint64   // seconds [3600]
	UnbondingPeriod    uint64   // seconds [the minimum the marketplace accepts: the three above summed]
	MinStake           *big.Int // staking-token units [100e18]
	Penalty            *big.Int // missed-deadline slash [50e18]; big.NewInt(0) for none

	StablecoinMint *big.Int // minted to each dev account [1,000,000 USDT = 1e12]
	StakeMint      *big.Int // minted to each dev account [10,000e18]
}

// System is the gpumarket contracts deployed on an anvil chain exactly as
// contracts/script/Deploy.s.sol deploys them with
// GPUMARKET_DEPLOY_TEST_STABLECOIN=true (deployer = dev account 0).
type System struct {
	*Chain
	Config SystemConfig // with every default filled in

	Market       common.Address // JobMarketplace
	Registry     common.Address // ProviderRegistry
	StakingToken common.Address // TestERC20 "GPU Stake"/GPUS, 18 decimals
	Stablecoin   common.Address // TestERC20 "USD Test"/USDT, 6 decimals, allowlisted

	// Dev account indices of the roles.
	Admin, Matcher, Arbiter, Pauser, FeeManager, Treasury int

	// DeployBlock is the block of the first deployment transaction: scanning
	// logs from it misses nothing of the system.
	DeployBlock uint64
	Deployment  gpumarket.Deployment
}

var e18 = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

func (cfg SystemConfig) withDefaults() SystemConfig {
	if cfg.FeeBps == nil {
		fee := uint16(250)
		cfg.FeeBps = &fee
	}
	if cfg.MaxFeeBps == 0 {
		cfg.MaxFeeBps = 1000
	}
	if cfg.MaxCreatorShareBps == 0 {
		cfg.MaxCreatorShareBps = 2000
	}
	if cfg.ChallengeWindow == 0 {
		cfg.ChallengeWindow = 60
	}
	if cfg.DisputeTimeout == 0 {
		cfg.DisputeTimeout = 120
	}
	if cfg.MaxJobDuration == 0 {
		cfg.MaxJobDuration = 3600
	}
	if cfg.UnbondingPeriod == 0 {
		cfg.UnbondingPeriod = cfg.ChallengeWindow + cfg.DisputeTimeout + cfg.MaxJobDuration
	}
	if cfg.MinStake == nil {
		cfg.MinStake = new(big.Int).Mul(big.NewInt(100), e18)
	}
	if cfg.Penalty == nil {
		cfg.Penalty = new(big.Int).Mul(big.NewInt(50), e18)
	}
	if cfg.StablecoinMint == nil {
		cfg.StablecoinMint = big.NewInt(1_000_000_000_000)
	}
	if cfg.StakeMint == nil {
		cfg.StakeMint = new(big.Int).Mul(big.NewInt(10_000), e18)
	}
	return cfg
}

// DeploySystem starts an anvil node (cfg.Anvil) and deploys the system on it;
// see Chain.DeploySystem.
func DeploySystem(tb testing.TB, cfg SystemConfig) *System {
	tb.Helper()
	return New(tb, cfg.Anvil).DeploySystem(tb, cfg)
}

// DeploySystem deploys the system as dev account 0 through the generated
// bindings, in the deploy script's order: the staking token, the stablecoin,
// the ProviderRegistry naming the marketplace's predicted address, the
// JobMarketplace, the roles, the allowlist, and the admin hand-over when the
// admin is not the deployer. It then mints both tokens to the ten dev
// accounts. It fails tb on any error, including a wrong address prediction.
func (c *Chain) DeploySystem(tb testing.TB, cfg SystemConfig) *System {
	tb.Helper()
	cfg = cfg.withDefaults()
	const deployer = 0
	s := &System{
		Chain: c, Config: cfg,
		Admin: cfg.Admin.or(0), Matcher: cfg.Matcher.or(9), Arbiter: cfg.Arbiter.or(8),
		Pauser: cfg.Pauser.or(0), FeeManager: cfg.FeeManager.or(0), Treasury: cfg.Treasury.or(7),
	}
	for _, i := range []int{s.Admin, s.Matcher, s.Arbiter, s.Pauser, s.FeeManager, s.Treasury} {
		if i < 0 || i >= len(c.Keys) {
			tb.Fatalf("chaintest: deploy system: dev account %d does not exist", i)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	erc20 := bindings.NewTestERC20()
	var first *types.Receipt
	deploy := func(what string, meta *bind.MetaData, input []byte) common.Address {
		addr, tx, err := bind.DeployContract(c.Opts(tb, deployer), common.FromHex(meta.Bin), c.Client, input)
		if err != nil {
			tb.Fatalf("chaintest: deploy %s: %v", what, err)
		}
		r := c.Mined(tb, tx)
		if first == nil {
			first = r
		}
		return addr
	}
	s.StakingToken = deploy("staking token", &bindings.TestERC20MetaData, erc20.PackConstructor("GPU Stake", "GPUS", 18))
	s.Stablecoin = deploy("stablecoin", &bindings.TestERC20MetaData, erc20.PackConstructor("USD Test", "USDT", 6))
	s.DeployBlock = first.BlockNumber.Uint64()

	// The registry names the marketplace, deployed by the deployer's very next transaction.
	nonce, err := c.Client.PendingNonceAt(ctx, c.Addrs[deployer])
	if err != nil {
		tb.Fatalf("chaintest: deployer nonce: %v", err)
	}
	predicted := crypto.CreateAddress(c.Addrs[deployer], nonce+1)
	reg := bindings.NewProviderRegistry()
	s.Registry = deploy("ProviderRegistry", &bindings.ProviderRegistryMetaData,
		reg.PackConstructor(predicted, s.StakingToken, cfg.MinStake, new(big.Int).SetUint64(cfg.UnbondingPeriod)))
	mkt := bindings.NewJobMarketplace()
	u := func(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
	s.Market = deploy("JobMarketplace", &bindings.JobMarketplaceMetaData, mkt.PackConstructor(
		c.Addrs[deployer], s.Registry, c.Addrs[s.Treasury], *cfg.FeeBps, cfg.MaxFeeBps, cfg.MaxCreatorShareBps,
		u(cfg.ChallengeWindow), u(cfg.DisputeTimeout), u(cfg.MaxJobDuration), cfg.Penalty))
	if s.Market != predicted {
		tb.Fatalf("chaintest: deploy system: marketplace at %s, predicted %s", s.Market, predicted)
	}

	market := mkt.Instance(c.Client, s.Market)
	role := func(pack []byte, unpack func([]byte) ([32]byte, error)) [32]byte {
		r, err := bind.Call(market, nil, pack, unpack)
		if err != nil {
			tb.Fatalf("chaintest: read role id: %v", err)
		}
		return r
	}
	send := func(what string, data []byte) {
		tx, err := bind.Transact(market, c.Opts(tb, deployer), data)
		if err != nil {
			tb.Fatalf("chaintest: %s: %v", what, err)
		}
		c.Mined(tb, tx)
	}
	grants := []struct {
		role    [32]byte
		account int
	}{
		{role(mkt.PackMATCHERROLE(), mkt.UnpackMATCHERROLE), s.Matcher},
		{role(mkt.PackARBITERROLE(), mkt.UnpackARBITERROLE), s.Arbiter},
		{role(mkt.PackPAUSERROLE(), mkt.UnpackPAUSERROLE), s.Pauser},
		{role(mkt.PackFEEMANAGERROLE(), mkt.UnpackFEEMANAGERROLE), s.FeeManager},
	}
	for _, g := range grants {
		send("grant role", mkt.PackGrantRole(g.role, c.Addrs[g.account]))
	}
	send("allowlist stablecoin", mkt.PackSetTokenAllowed(s.Stablecoin, true))
	if s.Admin != deployer {
		var admin [32]byte // DEFAULT_ADMIN_ROLE is zero
		send("grant admin", mkt.PackGrantRole(admin, c.Addrs[s.Admin]))
		send("renounce admin", mkt.PackRenounceRole(admin, c.Addrs[deployer]))
	}

	for _, t := range []struct {
		token  common.Address
		amount *big.Int
	}{{s.Stablecoin, cfg.StablecoinMint}, {s.StakingToken, cfg.StakeMint}} {
		if t.amount.Sign() == 0 {
			continue
		}
		inst := erc20.Instance(c.Client, t.token)
		var last *types.Transaction
		for _, to := range c.Addrs {
			if last, err = bind.Transact(inst, c.Opts(tb, deployer), erc20.PackMint(to, t.amount)); err != nil {
				tb.Fatalf("chaintest: mint: %v", err)
			}
		}
		c.Mined(tb, last)
	}
	s.Deployment = s.deployment(c.Addrs[deployer])
	return s
}

// Key returns the private key of dev account i.
func (s *System) Key(i int) *ecdsa.PrivateKey { return s.Keys[i] }

// deploymentTokens and deploymentConfig are the "tokens" and "config"
// objects of the deploy script's JSON, key for key.
type deploymentTokens struct {
	StakingToken  eip55   `json:"stakingToken"`
	Stablecoin    eip55   `json:"stablecoin"`
	PaymentTokens []eip55 `json:"paymentTokens"`
}

// eip55 is an address that encodes as EIP-55 checksummed hex, as forge
// writes addresses.
type eip55 common.Address

// MarshalText returns the checksummed hex.
func (a eip55) MarshalText() ([]byte, error) { return []byte(common.Address(a).Hex()), nil }

type deploymentConfig struct {
	ProtocolFeeBps        uint16 `json:"protocolFeeBps"`
	MaxProtocolFeeBps     uint16 `json:"maxProtocolFeeBps"`
	MaxCreatorShareBps    uint16 `json:"maxCreatorShareBps"`
	ChallengeWindow       uint64 `json:"challengeWindow"`
	DisputeTimeout        uint64 `json:"disputeTimeout"`
	MaxJobDuration        uint64 `json:"maxJobDuration"`
	UnbondingPeriod       uint64 `json:"unbondingPeriod"`
	MinStake              string `json:"minStake"`
	MissedDeadlinePenalty string `json:"missedDeadlinePenalty"`
}

func (s *System) deployment(deployer common.Address) gpumarket.Deployment {
	cfg := s.Config
	tokens, err := json.Marshal(deploymentTokens{eip55(s.StakingToken), eip55(s.Stablecoin), []eip55{eip55(s.Stablecoin)}})
	if err != nil {
		panic(err) // fixed types: cannot fail
	}
	config, err := json.Marshal(deploymentConfig{
		ProtocolFeeBps: *cfg.FeeBps, MaxProtocolFeeBps: cfg.MaxFeeBps, MaxCreatorShareBps: cfg.MaxCreatorShareBps,
		ChallengeWindow: cfg.ChallengeWindow, DisputeTimeout: cfg.DisputeTimeout, MaxJobDuration: cfg.MaxJobDuration,
		UnbondingPeriod: cfg.UnbondingPeriod, MinStake: cfg.MinStake.String(), MissedDeadlinePenalty: cfg.Penalty.String(),
	})
	if err != nil {
		panic(err)
	}
	a := func(i int) gpumarket.Address { return gpumarket.Address(s.Addrs[i]) }
	return gpumarket.Deployment{
		ChainID:     s.ChainID.Uint64(),
		DeployBlock: s.DeployBlock,
		Deployer:    gpumarket.Address(deployer),
		Contracts: map[string]gpumarket.Address{
			gpumarket.ContractMarket:   gpumarket.Address(s.Market),
			gpumarket.ContractRegistry: gpumarket.Address(s.Registry),
		},
		Tokens: tokens,
		Roles: map[string]gpumarket.Address{
			"admin": a(s.Admin), "matcher": a(s.Matcher), "arbiter": a(s.Arbiter),
			"pauser": a(s.Pauser), "feeManager": a(s.FeeManager), "treasury": a(s.Treasury),
		},
		Config: config,
	}
}

// WriteDeploymentFile writes the deployment as the deploy script's JSON
// (what gpumarket.LoadDeployment reads) to path, with EIP-55 checksummed
// addresses as forge writes them. It returns the write error.
func (s *System) WriteDeploymentFile(path string) error {
	d := s.Deployment
	checksummed := func(m map[string]gpumarket.Address) map[string]eip55 {
		out := make(map[string]eip55, len(m))
		for k, v := range m {
			out[k] = eip55(v)
		}
		return out
	}
	b, err := json.MarshalIndent(struct {
		ChainID     uint64           `json:"chainId"`
		DeployBlock uint64           `json:"deployBlock"`
		Deployer    eip55            `json:"deployer"`
		Contracts   map[string]eip55 `json:"contracts"`
		Tokens      json.RawMessage  `json:"tokens"`
		Roles       map[string]eip55 `json:"roles"`
		Config      json.RawMessage  `json:"config"`
	}{d.ChainID, d.DeployBlock, eip55(d.Deployer), checksummed(d.Contracts), d.Tokens, checksummed(d.Roles), d.Config}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode deployment: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write deployment file: %w", err)
	}
	return nil
}
