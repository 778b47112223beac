package loadgen

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// Generator sends marketplace lifecycle traffic fast, for benchmarks: raw
// signed transactions with locally tracked nonces, many per block, on an
// anvil node whose mining it drives (anvil_mine). Each round is four blocks:
// K jobs created, accepted (matcher-signed assignments), submitted and
// settled by their clients: 4K marketplace events.
type Generator struct {
	rpc     *rpc.Client
	client  *ethclient.Client
	market  *market.Market
	dec     *market.Decoder
	signer  types.Signer
	chainID *big.Int

	keys     map[common.Address]*ecdsa.PrivateKey
	nonces   map[common.Address]uint64
	matcher  *ecdsa.PrivateKey
	operator common.Address
	hotKey   common.Address
	clients  []common.Address
	token    gpumarket.Address
	staking  gpumarket.Address
	next     int
}

// Keys names the accounts Generator uses: the deployment's matcher, a
// provider operator and its hot key, and clients.
type Keys struct {
	Matcher, Operator, HotKey *ecdsa.PrivateKey
	Clients                   []*ecdsa.PrivateKey
}

// New connects to the node at url for the deployment d, paying in
// token and staking in staking.
func New(ctx context.Context, url string, d *gpumarket.Deployment, token, staking gpumarket.Address, k Keys) (*Generator, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	client := ethclient.NewClient(c)
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	marketAddr, registry := d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry]
	m, err := market.NewMarket(chainID, marketAddr, registry, client)
	if err != nil {
		return nil, err
	}
	g := &Generator{rpc: c, client: client, market: m, dec: market.NewDecoder(marketAddr, registry), signer: types.LatestSignerForChainID(chainID),
		chainID: chainID, keys: map[common.Address]*ecdsa.PrivateKey{}, nonces: map[common.Address]uint64{}, matcher: k.Matcher,
		token: token, staking: staking}
	add := func(key *ecdsa.PrivateKey) common.Address {
		a := crypto.PubkeyToAddress(key.PublicKey)
		g.keys[a] = key
		return a
	}
	g.operator, g.hotKey = add(k.Operator), add(k.HotKey)
	for _, ck := range k.Clients {
		g.clients = append(g.clients, add(ck))
	}
	for a := range g.keys {
		n, err := client.PendingNonceAt(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("nonce of %s: %w", a, err)
		}
		g.nonces[a] = n
	}
	return g, nil
}

// Close closes the connection.
func (g *Generator) Close() { g.rpc.Close() }

func (g *Generator) send(ctx context.Context, from common.Address, c market.Call) error {
	_, err := g.sendTx(ctx, from, c)
	return err
}

func (g *Generator) sendTx(ctx context.Context, from common.Address, c market.Call) (common.Hash, error) {
	key := g.keys[from]
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{
		ChainID: g.chainID, Nonce: g.nonces[from], GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 600_000,
		To: (*common.Address)(&c.To), Data: c.Data,
	}), g.signer, key)
	if err != nil {
		return common.Hash{}, fmt.Errorf("sign: %w", err)
	}
	if err := g.client.SendTransaction(ctx, tx); err != nil {
		return common.Hash{}, fmt.Errorf("send from %s nonce %d: %w", from, g.nonces[from], err)
	}
	g.nonces[from]++
	return tx.Hash(), nil
}

// mine mines one block with every pending transaction, checks that all of
// them succeeded, and returns the block's marketplace events.
func (g *Generator) mine(ctx context.Context, want int) ([]gpumarket.Event, []gpumarket.Log, error) {
	if err := g.rpc.CallContext(ctx, nil, "anvil_mine", 1); err != nil {
		return nil, nil, fmt.Errorf("anvil_mine: %w", err)
	}
	block, err := g.client.BlockByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("read mined block: %w", err)
	}
	if len(block.Transactions()) != want {
		return nil, nil, fmt.Errorf("block %d has %d transactions, want %d", block.NumberU64(), len(block.Transactions()), want)
	}
	hash := block.Hash()
	raw, err := g.client.FilterLogs(ctx, ethereum.FilterQuery{BlockHash: &hash})
	if err != nil {
		return nil, nil, fmt.Errorf("logs of block %d: %w", block.NumberU64(), err)
	}
	var evs []gpumarket.Event
	var logs []gpumarket.Log
	for i := range raw {
		l := node.DomainLog(&raw[i], block.Time())
		ev, err := g.dec.Decode(l)
		if err != nil {
			return nil, nil, err
		}
		if ev != nil {
			evs, logs = append(evs, ev), append(logs, l)
		}
	}
	return evs, logs, nil
}

func (g *Generator) sendAll(ctx context.Context, from common.Address, calls ...func() (market.Call, error)) error {
	for _, f := range calls {
		c, err := f()
		if err != nil {
			return err
		}
		if err := g.send(ctx, from, c); err != nil {
			return err
		}
	}
	return nil
}

// Setup mints tokens, approves the marketplace and the registry, and
// registers and stakes the provider. It mines what it sends.
func (g *Generator) Setup(ctx context.Context) error {
	erc20 := bindings.NewTestERC20()
	mint := func(token gpumarket.Address, to common.Address, amount *big.Int) func() (market.Call, error) {
		return func() (market.Call, error) { return market.Call{To: token, Data: erc20.PackMint(to, amount)}, nil }
	}
	huge := new(big.Int).Lsh(big.NewInt(1), 120)
	sent := 0
	for _, c := range g.clients {
		if err := g.sendAll(ctx, c, mint(g.token, c, huge), func() (market.Call, error) { return g.market.Approve(g.token, g.market.Address(), huge) }); err != nil {
			return fmt.Errorf("fund client %s: %w", c, err)
		}
		sent += 2
	}
	stake := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	if err := g.sendAll(ctx, g.operator,
		mint(g.staking, g.operator, stake),
		func() (market.Call, error) { return g.market.Approve(g.staking, g.market.RegistryAddress(), stake) },
		func() (market.Call, error) {
			return g.market.Register(gpumarket.Address(g.hotKey), gpumarket.Hash{0xa7}, 1<<39, "ipfs://loadgen-provider")
		},
		func() (market.Call, error) { return g.market.Stake(stake) },
	); err != nil {
		return fmt.Errorf("set up provider: %w", err)
	}
	sent += 4
	_, _, err := g.mine(ctx, sent)
	return err
}

// Round runs k full job lifecycles in four blocks and returns the number of
// marketplace events it produced.
func (g *Generator) Round(ctx context.Context, k int) (int, error) {
	head, err := g.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("head: %w", err)
	}
	now := head.Time
	events := 0
	// Block 1: creates.
	for i := 0; i < k; i++ {
		c := g.clients[g.next%len(g.clients)]
		g.next++
		call, err := g.market.CreateJob(&eip712.JobParams{Kind: gpumarket.JobKind(g.next % 4), Token: g.token, MaxPayment: big.NewInt(int64(1_000_000 + g.next%1000)),
			Deadline: now + 86_400, SpecHash: gpumarket.Hash(crypto.Keccak256Hash(big.NewInt(int64(g.next)).Bytes())), SpecURI: "ipfs://bench-spec"})
		if err != nil {
			return events, err
		}
		if err := g.send(ctx, c, call); err != nil {
			return events, err
		}
	}
	evs, _, err := g.mine(ctx, k)
	if err != nil {
		return events, err
	}
	events += len(evs)
	jobs := make([]*gpumarket.JobRecord, 0, k)
	for _, ev := range evs {
		if c, ok := ev.(*gpumarket.JobCreated); ok {
			r := &gpumarket.JobRecord{}
			if err := r.Apply(c, 0, 0); err != nil {
				return events, err
			}
			jobs = append(jobs, r)
		}
	}
	step := func(build func(j *gpumarket.JobRecord) (common.Address, market.Call, error)) error {
		for _, j := range jobs {
			from, call, err := build(j)
			if err != nil {
				return err
			}
			if err := g.send(ctx, from, call); err != nil {
				return err
			}
		}
		evs, _, err := g.mine(ctx, len(jobs))
		if err != nil {
			return err
		}
		events += len(evs)
		byID := map[gpumarket.JobID]*gpumarket.JobRecord{}
		for _, j := range jobs {
			byID[j.ID] = j
		}
		for _, ev := range evs {
			if je, ok := ev.(gpumarket.JobEvent); ok {
				if err := byID[je.JobID()].Apply(je, 0, 0); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := step(func(j *gpumarket.JobRecord) (common.Address, market.Call, error) {
		jh, err := market.JobHashAtCreation(&j.Job)
		if err != nil {
			return common.Address{}, market.Call{}, err
		}
		a := &gpumarket.Assignment{JobID: j.ID, JobHash: jh, Provider: gpumarket.Address(g.operator), Price: j.MaxPayment, Expiry: int64(now + 3600)}
		sig, err := eip712.SignAssignment(g.matcher, g.market.Domain(), a)
		if err != nil {
			return common.Address{}, market.Call{}, err
		}
		c, err := g.market.AcceptJob(&j.Job, a, sig)
		return g.hotKey, c, err
	}); err != nil {
		return events, fmt.Errorf("accepts: %w", err)
	}
	if err := step(func(j *gpumarket.JobRecord) (common.Address, market.Call, error) {
		c, err := g.market.SubmitResult(&j.Job, gpumarket.Hash(crypto.Keccak256Hash(j.SpecHash[:])), "https://bench/result",
			gpumarket.Usage{Units1: 1000, Units2: 250}, new(big.Int).Sub(j.Price, big.NewInt(1)))
		return g.hotKey, c, err
	}); err != nil {
		return events, fmt.Errorf("submits: %w", err)
	}
	if err := step(func(j *gpumarket.JobRecord) (common.Address, market.Call, error) {
		c, err := g.market.Settle(&j.Job)
		return common.Address(j.Client), c, err
	}); err != nil {
		return events, fmt.Errorf("settles: %w", err)
	}
	return events, nil
}

// CreateJobsTimed creates n jobs, perBatch at a time, on a node that mines
// on its own (interval mining), and returns for each job the moment its
// receipt was first seen. Only the earliest-sent transaction still pending
// is polled (every 2ms, so the poll itself barely loads the node): no later
// transaction can be mined before it, so when it appears every receipt
// found then became available in that same poll interval and gets its
// moment.
func (g *Generator) CreateJobsTimed(ctx context.Context, n, perBatch int) (map[gpumarket.JobID]time.Time, error) {
	out := make(map[gpumarket.JobID]time.Time, n)
	for len(out) < n {
		head, err := g.client.HeaderByNumber(ctx, nil)
		if err != nil {
			return nil, err
		}
		var pending []common.Hash // in send order: the node mines them in that order (equal fees)
		for i := 0; i < min(perBatch, n-len(out)); i++ {
			c := g.clients[g.next%len(g.clients)]
			g.next++
			call, err := g.market.CreateJob(&eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: g.token, MaxPayment: big.NewInt(1_000_000),
				Deadline: head.Time + 86_400, SpecHash: gpumarket.Hash(crypto.Keccak256Hash(big.NewInt(int64(g.next)).Bytes())), SpecURI: "ipfs://latency"})
			if err != nil {
				return nil, err
			}
			h, err := g.sendTx(ctx, c, call)
			if err != nil {
				return nil, err
			}
			pending = append(pending, h)
		}
		deadline := time.Now().Add(30 * time.Second)
		for len(pending) > 0 {
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("%d transactions not mined within 30s", len(pending))
			}
			if _, err := g.client.TransactionReceipt(ctx, pending[0]); err != nil {
				time.Sleep(2 * time.Millisecond)
				continue
			}
			seen := time.Now()
			var still []common.Hash
			for _, h := range pending {
				r, err := g.client.TransactionReceipt(ctx, h)
				if err != nil {
					still = append(still, h)
					continue
				}
				for _, l := range r.Logs {
					ev, err := g.dec.Decode(node.DomainLog(l, 0))
					if err != nil {
						return nil, err
					}
					if c, ok := ev.(*gpumarket.JobCreated); ok {
						out[c.Job.ID] = seen
					}
				}
			}
			pending = still
		}
	}
	return out, nil
}
