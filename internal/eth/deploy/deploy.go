package deploy

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// Config configures Run. Every field is required except the
// mints and Admin (zero: the deployer stays admin).
type Config struct {
	Deployer *ecdsa.PrivateKey

	Admin, Matcher, Arbiter, Pauser, FeeManager, Treasury gpumarket.Address

	FeeBps             uint16
	MaxFeeBps          uint16
	MaxCreatorShareBps uint16
	ChallengeWindow    uint64 // seconds
	DisputeTimeout     uint64 // seconds
	MaxJobDuration     uint64 // seconds
	UnbondingPeriod    uint64 // seconds
	MinStake           *big.Int
	Penalty            *big.Int

	// MintTo receives StablecoinMint of the test stablecoin and StakeMint of
	// the staking token each (zero amounts: no mint).
	MintTo         []gpumarket.Address
	StablecoinMint *big.Int
	StakeMint      *big.Int
}

// System is a deployed gpumarket system: the JobMarketplace, its
// ProviderRegistry, the staking token and the test stablecoin.
type System struct {
	Market       gpumarket.Address
	Registry     gpumarket.Address
	StakingToken gpumarket.Address // TestERC20 "GPU Stake"/GPUS, 18 decimals
	Stablecoin   gpumarket.Address // TestERC20 "USD Test"/USDT, 6 decimals, allowlisted
	// DeployBlock is the block of the first deployment transaction.
	DeployBlock uint64
	Deployment  gpumarket.Deployment
}

// Run deploys the system on the node at url as
// contracts/script/Deploy.s.sol does with GPUMARKET_DEPLOY_TEST_STABLECOIN=true:
// the staking token, the stablecoin, the ProviderRegistry naming the
// marketplace's predicted address, the JobMarketplace, the roles, the
// allowlist, the admin hand-over when Admin is set and is not the deployer,
// then the mints. Each transaction is waited for. It returns an error naming
// the step that failed, including a wrong address prediction.
func Run(ctx context.Context, url string, cfg Config) (*System, error) {
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "deploy: dial %s: %v", url, err)
	}
	defer client.Close()
	return RunWith(ctx, client, cfg)
}

// RunWith is Run through an existing client.
func RunWith(ctx context.Context, client *ethclient.Client, cfg Config) (*System, error) {
	if cfg.Deployer == nil || cfg.MinStake == nil || cfg.Penalty == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "deploy: deployer key, min stake and penalty are required")
	}
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "deploy: chain id: %v", err)
	}
	deployer := crypto.PubkeyToAddress(cfg.Deployer.PublicKey)
	opts := func() *bind.TransactOpts {
		o := bind.NewKeyedTransactor(cfg.Deployer, chainID)
		o.Context = ctx
		return o
	}
	s := &System{}
	erc20 := bindings.NewTestERC20()
	var first *types.Receipt
	deploy := func(what string, meta *bind.MetaData, input []byte) (common.Address, error) {
		addr, tx, err := bind.DeployContract(opts(), common.FromHex(meta.Bin), client, input)
		if err != nil {
			return addr, fmt.Errorf("deploy %s: %w", what, err)
		}
		r, err := waitMined(ctx, client, tx)
		if err != nil {
			return addr, fmt.Errorf("deploy %s: %w", what, err)
		}
		if first == nil {
			first = r
		}
		return addr, nil
	}
	staking, err := deploy("staking token", &bindings.TestERC20MetaData, erc20.PackConstructor("GPU Stake", "GPUS", 18))
	if err != nil {
		return nil, err
	}
	stable, err := deploy("stablecoin", &bindings.TestERC20MetaData, erc20.PackConstructor("USD Test", "USDT", 6))
	if err != nil {
		return nil, err
	}
	s.StakingToken, s.Stablecoin = gpumarket.Address(staking), gpumarket.Address(stable)
	s.DeployBlock = first.BlockNumber.Uint64()

	// The registry names the marketplace, deployed by the deployer's very next transaction.
	nonce, err := client.PendingNonceAt(ctx, deployer)
	if err != nil {
		return nil, fmt.Errorf("deploy: deployer nonce: %w", err)
	}
	predicted := crypto.CreateAddress(deployer, nonce+1)
	reg := bindings.NewProviderRegistry()
	registry, err := deploy("ProviderRegistry", &bindings.ProviderRegistryMetaData,
		reg.PackConstructor(predicted, staking, cfg.MinStake, new(big.Int).SetUint64(cfg.UnbondingPeriod)))
	if err != nil {
		return nil, err
	}
	mkt := bindings.NewJobMarketplace()
	u := func(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
	market, err := deploy("JobMarketplace", &bindings.JobMarketplaceMetaData, mkt.PackConstructor(
		deployer, registry, common.Address(cfg.Treasury), cfg.FeeBps, cfg.MaxFeeBps, cfg.MaxCreatorShareBps,
		u(cfg.ChallengeWindow), u(cfg.DisputeTimeout), u(cfg.MaxJobDuration), cfg.Penalty))
	if err != nil {
		return nil, err
	}
	if market != predicted {
		return nil, fmt.Errorf("deploy: marketplace at %s, predicted %s", market, predicted)
	}
	s.Registry, s.Market = gpumarket.Address(registry), gpumarket.Address(market)

	inst := mkt.Instance(client, market)
	callOpts := &bind.CallOpts{Context: ctx}
	send := func(what string, data []byte) error {
		tx, err := bind.Transact(inst, opts(), data)
		if err == nil {
			_, err = waitMined(ctx, client, tx)
		}
		if err != nil {
			return fmt.Errorf("deploy: %s: %w", what, err)
		}
		return nil
	}
	roles := []struct {
		name   string
		read   func() ([32]byte, error)
		holder gpumarket.Address
	}{
		{"matcher", func() ([32]byte, error) {
			return bind.Call(inst, callOpts, mkt.PackMATCHERROLE(), mkt.UnpackMATCHERROLE)
		}, cfg.Matcher},
		{"arbiter", func() ([32]byte, error) {
			return bind.Call(inst, callOpts, mkt.PackARBITERROLE(), mkt.UnpackARBITERROLE)
		}, cfg.Arbiter},
		{"pauser", func() ([32]byte, error) { return bind.Call(inst, callOpts, mkt.PackPAUSERROLE(), mkt.UnpackPAUSERROLE) }, cfg.Pauser},
		{"fee manager", func() ([32]byte, error) {
			return bind.Call(inst, callOpts, mkt.PackFEEMANAGERROLE(), mkt.UnpackFEEMANAGERROLE)
		}, cfg.FeeManager},
	}
	for _, r := range roles {
		id, err := r.read()
		if err != nil {
			return nil, fmt.Errorf("deploy: read %s role id: %w", r.name, err)
		}
		if err := send("grant "+r.name+" role", mkt.PackGrantRole(id, common.Address(r.holder))); err != nil {
			return nil, err
		}
	}
	if err := send("allowlist stablecoin", mkt.PackSetTokenAllowed(stable, true)); err != nil {
		return nil, err
	}
	if !cfg.Admin.IsZero() && common.Address(cfg.Admin) != deployer {
		var admin [32]byte // DEFAULT_ADMIN_ROLE is zero
		if err := send("grant admin", mkt.PackGrantRole(admin, common.Address(cfg.Admin))); err != nil {
			return nil, err
		}
		if err := send("renounce admin", mkt.PackRenounceRole(admin, deployer)); err != nil {
			return nil, err
		}
	}
	for _, t := range []struct {
		token  common.Address
		amount *big.Int
	}{{stable, cfg.StablecoinMint}, {staking, cfg.StakeMint}} {
		if t.amount == nil || t.amount.Sign() == 0 || len(cfg.MintTo) == 0 {
			continue
		}
		tok := erc20.Instance(client, t.token)
		var last *types.Transaction
		for _, to := range cfg.MintTo {
			if last, err = bind.Transact(tok, opts(), erc20.PackMint(common.Address(to), t.amount)); err != nil {
				return nil, fmt.Errorf("deploy: mint: %w", err)
			}
		}
		if _, err := waitMined(ctx, client, last); err != nil {
			return nil, fmt.Errorf("deploy: mint: %w", err)
		}
	}
	admin := cfg.Admin
	if admin.IsZero() {
		admin = gpumarket.Address(deployer)
	}
	s.Deployment, err = s.deployment(chainID.Uint64(), gpumarket.Address(deployer), admin, cfg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// waitMined polls for tx's receipt (bind.WaitMined polls once a second;
// anvil answers in milliseconds) and returns an error if it reverted.
func waitMined(ctx context.Context, client *ethclient.Client, tx *types.Transaction) (*types.Receipt, error) {
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return r, fmt.Errorf("tx %s reverted (gas used %d)", tx.Hash(), r.GasUsed)
			}
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

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

func (s *System) deployment(chainID uint64, deployer, admin gpumarket.Address, cfg Config) (gpumarket.Deployment, error) {
	tokens, err := json.Marshal(deploymentTokens{eip55(s.StakingToken), eip55(s.Stablecoin), []eip55{eip55(s.Stablecoin)}})
	if err != nil {
		return gpumarket.Deployment{}, fmt.Errorf("encode deployment tokens: %w", err)
	}
	config, err := json.Marshal(deploymentConfig{
		ProtocolFeeBps: cfg.FeeBps, MaxProtocolFeeBps: cfg.MaxFeeBps, MaxCreatorShareBps: cfg.MaxCreatorShareBps,
		ChallengeWindow: cfg.ChallengeWindow, DisputeTimeout: cfg.DisputeTimeout, MaxJobDuration: cfg.MaxJobDuration,
		UnbondingPeriod: cfg.UnbondingPeriod, MinStake: cfg.MinStake.String(), MissedDeadlinePenalty: cfg.Penalty.String(),
	})
	if err != nil {
		return gpumarket.Deployment{}, fmt.Errorf("encode deployment config: %w", err)
	}
	return gpumarket.Deployment{
		ChainID:     chainID,
		DeployBlock: s.DeployBlock,
		Deployer:    deployer,
		Contracts: map[string]gpumarket.Address{
			gpumarket.ContractMarket:   s.Market,
			gpumarket.ContractRegistry: s.Registry,
		},
		Tokens: tokens,
		Roles: map[string]gpumarket.Address{
			"admin": admin, "matcher": cfg.Matcher, "arbiter": cfg.Arbiter,
			"pauser": cfg.Pauser, "feeManager": cfg.FeeManager, "treasury": cfg.Treasury,
		},
		Config: config,
	}, nil
}

// WriteDeploymentFile writes d as the deploy script's JSON (what
// gpumarket.LoadDeployment reads) to path, with EIP-55 checksummed addresses
// as forge writes them. It returns the write error.
func WriteDeploymentFile(path string, d gpumarket.Deployment) error {
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
