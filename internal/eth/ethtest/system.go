package ethtest

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/deploy"
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
			tb.Fatalf("ethtest: deploy system: dev account %d does not exist", i)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := func(i int) gpumarket.Address { return gpumarket.Address(c.Addrs[i]) }
	mint := make([]gpumarket.Address, len(c.Addrs))
	for i := range c.Addrs {
		mint[i] = a(i)
	}
	sys, err := deploy.RunWith(ctx, c.Client, deploy.Config{
		Deployer: c.Keys[deployer], Admin: a(s.Admin), Matcher: a(s.Matcher), Arbiter: a(s.Arbiter),
		Pauser: a(s.Pauser), FeeManager: a(s.FeeManager), Treasury: a(s.Treasury),
		FeeBps: *cfg.FeeBps, MaxFeeBps: cfg.MaxFeeBps, MaxCreatorShareBps: cfg.MaxCreatorShareBps,
		ChallengeWindow: cfg.ChallengeWindow, DisputeTimeout: cfg.DisputeTimeout, MaxJobDuration: cfg.MaxJobDuration,
		UnbondingPeriod: cfg.UnbondingPeriod, MinStake: cfg.MinStake, Penalty: cfg.Penalty,
		MintTo: mint, StablecoinMint: cfg.StablecoinMint, StakeMint: cfg.StakeMint,
	})
	if err != nil {
		tb.Fatalf("ethtest: deploy system: %v", err)
	}
	s.Market, s.Registry = common.Address(sys.Market), common.Address(sys.Registry)
	s.StakingToken, s.Stablecoin = common.Address(sys.StakingToken), common.Address(sys.Stablecoin)
	s.DeployBlock = sys.DeployBlock
	s.Deployment = sys.Deployment
	return s
}

// Key returns the private key of dev account i.
func (s *System) Key(i int) *ecdsa.PrivateKey { return s.Keys[i] }

// WriteDeploymentFile writes the deployment as the deploy script's JSON
// (what gpumarket.LoadDeployment reads) to path, with EIP-55 checksummed
// addresses as forge writes them. It returns the write error.
func (s *System) WriteDeploymentFile(path string) error {
	return deploy.WriteDeploymentFile(path, s.Deployment)
}
