package client

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	mclient "github.com/gpumarket/gpumarket/matcher/client"
)

// Defaults of Config.
const (
	DefaultPollInterval = time.Second
	DefaultJobLifetime  = 10 * time.Minute
)

// Config is what a Client needs. MatcherURL, RPCURL and Deployment are
// required; Key is required for every action that signs (Submit, Dispute,
// Refund, Cancel, SaveResult, List of one's own jobs).
type Config struct {
	MatcherURL string                // the matcher's API, http(s)://host[:port]
	RPCURL     string                // the EVM node
	Deployment *gpumarket.Deployment // chain id, contracts, payment tokens, deploy block
	Key        *ecdsa.PrivateKey     // the client's wallet; never logged

	// Blobs stores input files (POST /v1/blobs); nil embeds inputs of at
	// most MaxInlineInputBytes as data: URIs.
	Blobs BlobStore
	// InlineSmallInputs, with Blobs, still embeds input files of at most
	// MaxInlineInputBytes as data: URIs and uploads only larger ones (the
	// CLI's --input-store auto); false uploads every file to Blobs.
	InlineSmallInputs bool
	// Notifier wakes Watch when a job may have changed (the matcher's
	// event stream); nil: Watch polls only.
	Notifier Notifier
	// Sender sends the transactions; nil: a *market.Wallet of Key.
	Sender Sender
	// Orders relays signed orders (Funding FundOrder); nil: gasless
	// submission is refused.
	Orders OrderRelay

	// MaxLogRange is the widest block range one eth_getLogs of List and
	// Status asks for (0: market.DefaultMaxLogRange, 10,000); they read
	// from the deployment block to the head in such ranges, narrower ones
	// where the node refuses a range (down to one block).
	MaxLogRange  uint64
	PollInterval time.Duration // Watch's re-read period (DefaultPollInterval)
	HTTPClient   *http.Client  // matcher and result downloads (nil: a 60 s timeout)
	Log          *slog.Logger  // nil discards
}

// Client is one client wallet's view of one deployment. It is safe for
// concurrent reads; actions that send transactions must not run
// concurrently (they share the wallet's nonce).
type Client struct {
	cfg     Config
	chainID uint64
	market  *market.Market
	wallet  Sender // nil without a key
	matcher *mclient.Client
	api     *matcherAPI
	http    *http.Client
	log     *slog.Logger
	close   func()
	txKey   string // WithTxKey
}

// Dial connects to the node and the matcher of cfg. It returns an EINVALID
// error naming the bad setting, one wrapping ErrWrongChain when the node is
// on another chain than the deployment, and an EUNAVAILABLE one when the
// node cannot be reached. Close the Client when done.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	d := cfg.Deployment
	switch {
	case d == nil:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "client: a deployment is required")
	case cfg.RPCURL == "":
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "client: an RPC URL is required")
	case cfg.MatcherURL == "":
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "client: a matcher URL is required")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.MatcherURL = strings.TrimRight(cfg.MatcherURL, "/")
	mc, err := mclient.New(cfg.MatcherURL, d.ChainID, cfg.HTTPClient)
	if err != nil {
		return nil, err
	}
	m, closeRPC, err := market.DialMarket(ctx, cfg.RPCURL, d.ChainID, d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry])
	if err != nil {
		if errors.Is(err, market.ErrWrongChain) {
			return nil, condErr(ErrWrongChain, gpumarket.EINVALID, "%s (the deployment is for chain %d): check the RPC URL and the deployment file", gpumarket.ErrorMessage(err), d.ChainID)
		}
		return nil, err
	}
	m.SetMaxLogRange(cfg.MaxLogRange)
	c := &Client{cfg: cfg, chainID: d.ChainID, market: m, matcher: mc, api: &matcherAPI{base: cfg.MatcherURL, chainID: d.ChainID, http: cfg.HTTPClient},
		http: cfg.HTTPClient, log: cfg.Log, close: closeRPC}
	switch {
	case cfg.Sender != nil && cfg.Key != nil:
		if f, ok := cfg.Sender.(interface{ From() gpumarket.Address }); ok && f.From() != keys.KeyAddress(cfg.Key) {
			closeRPC()
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "client: the sender sends for %s, the key is %s's", f.From(), keys.KeyAddress(cfg.Key))
		}
		c.wallet = cfg.Sender
	case cfg.Sender != nil:
		closeRPC()
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "client: a sender needs the key it sends for (permits, orders and downloads are signed with it)")
	case cfg.Key != nil:
		w, err := m.Wallet(cfg.Key)
		if err != nil {
			closeRPC()
			return nil, err
		}
		c.wallet = w
	}
	return c, nil
}

// Close closes the node connection.
func (c *Client) Close() { c.close() }

// ChainID returns the chain the client is on.
func (c *Client) ChainID() uint64 { return c.chainID }

// Address returns the wallet's address, the zero address without a key.
func (c *Client) Address() gpumarket.Address {
	if c.cfg.Key == nil {
		return gpumarket.Address{}
	}
	return keys.KeyAddress(c.cfg.Key)
}

func (c *Client) needWallet(op string) error {
	if c.wallet == nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: needs the client's key", op)
	}
	return nil
}

// Token resolves a payment token by symbol (case-insensitive, among the
// deployment's payment tokens) or by address; "" is the deployment's first
// payment token. It reads the symbol and decimals on-chain. It returns an
// EINVALID error for a token the deployment does not list or an ambiguous
// symbol.
func (c *Client) Token(ctx context.Context, nameOrAddress string) (Token, error) {
	listed, err := c.cfg.Deployment.PaymentTokens()
	if err != nil {
		return Token{}, err
	}
	if strings.HasPrefix(nameOrAddress, "0x") {
		a, err := gpumarket.ParseAddress(nameOrAddress)
		if err != nil {
			return Token{}, err
		}
		return c.readToken(ctx, a)
	}
	if len(listed) == 0 {
		return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q: the deployment lists no payment tokens; give the token's address", nameOrAddress)
	}
	if nameOrAddress == "" {
		return c.readToken(ctx, listed[0])
	}
	var symbols []string
	for _, a := range listed {
		t, err := c.readToken(ctx, a)
		if err != nil {
			return Token{}, err
		}
		if strings.EqualFold(t.Symbol, nameOrAddress) {
			return t, nil
		}
		symbols = append(symbols, t.Symbol)
	}
	return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q is not a payment token of this deployment (it lists %s)", nameOrAddress, strings.Join(symbols, ", "))
}

func (c *Client) readToken(ctx context.Context, a gpumarket.Address) (Token, error) {
	dec, err := c.market.TokenDecimals(ctx, a)
	if err != nil {
		return Token{}, fmt.Errorf("token %s: %w", a, err)
	}
	sym, err := c.market.TokenSymbol(ctx, a)
	if err != nil {
		return Token{}, fmt.Errorf("token %s: %w", a, err)
	}
	return Token{Address: a, Symbol: sym, Decimals: dec}, nil
}

// Balances are what the wallet holds for one token.
type Balances struct {
	Token     *big.Int // ERC-20 balance
	Allowance *big.Int // what the marketplace may pull
	Owed      *big.Int // pull balance in the marketplace (refunds, returned bonds)
}

// Balances reads the wallet's balances of token.
func (c *Client) Balances(ctx context.Context, token gpumarket.Address) (Balances, error) {
	var b Balances
	var err error
	me := c.Address()
	if b.Token, err = c.market.TokenBalance(ctx, token, me); err != nil {
		return b, err
	}
	if b.Allowance, err = c.market.TokenAllowance(ctx, token, me, c.market.Address()); err != nil {
		return b, err
	}
	b.Owed, err = c.market.BalanceOf(ctx, token, me)
	return b, err
}

// Withdraw withdraws the wallet's whole pull balance of token (refunds,
// returned bonds) and returns the transaction hash.
func (c *Client) Withdraw(ctx context.Context, token gpumarket.Address) (gpumarket.Hash, error) {
	if err := c.needWallet("withdraw"); err != nil {
		return gpumarket.Hash{}, err
	}
	call, err := c.market.Withdraw(token)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	r, err := c.send(ctx, "withdraw", call)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("withdraw: %w", err)
	}
	return r.TxHash, nil
}
