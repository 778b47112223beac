package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// Funding chooses how Submit lets the marketplace pull the max price.
type Funding int

// Funding modes.
const (
	FundAuto    Funding = iota // a permit when the token supports EIP-2612, else approve (when the allowance is short)
	FundApprove                // approve (when the allowance is short)
	FundNone                   // use the existing allowance; refuse when it is short
	// FundOrder signs a JobOrder (with a permit when the allowance is
	// short) and hands it to Config.Orders, which submits it: the client
	// sends no transaction and needs no gas.
	FundOrder
)

// SubmitRequest is a job to create.
type SubmitRequest struct {
	Spec              []byte        // the spec's JSON (BuildSpec)
	Token             Token         // payment token (Client.Token); zero: the deployment's first
	MaxPrice          *big.Int      // base units; nil: the quote's total
	Lifetime          time.Duration // deadline = chain time + Lifetime (DefaultJobLifetime)
	PreferredProvider gpumarket.Address
	Funding           Funding
	// IgnoreBand submits even when MaxPrice is below the market band or
	// below every qualifying provider's price (or when the matcher has no
	// rates to quote).
	IgnoreBand bool
	// SkipQuote submits without asking the matcher for a quote: no
	// ErrNoProvider and no band check, so a job that no provider serves is
	// created (and is refunded after its deadline). MaxPrice is required.
	// The other checks (spec, funds, gas) still run. For tests and demos
	// of the unserved path; a client wanting a result leaves it false.
	SkipQuote bool
	// Creator, when set, takes CreatorShareBps (basis points, at most the
	// marketplace's cap) of the payment as the model's creator.
	Creator         gpumarket.Address
	CreatorShareBps uint16
}

// Submission is a created job.
type Submission struct {
	JobID      gpumarket.JobID
	SpecHash   gpumarket.Hash
	TxHash     gpumarket.Hash
	MaxPayment *big.Int
	Deadline   uint64 // unix seconds
	Token      Token
	Quote      *Quote   // nil when the matcher had no rates
	FundedBy   string   // "permit", "approve", "allowance", "order" or "order+permit"
	OrderNonce *big.Int // the signed order's nonce (FundOrder); nil otherwise
}

// Quote asks the matcher what spec would cost in token. It returns an error
// wrapping ErrNoProvider when no provider serves the spec's kind and model
// (the message lists the models that are served), and ENOTFOUND when the
// matcher has no rates yet.
func (c *Client) Quote(ctx context.Context, spec []byte, token Token) (*Quote, error) {
	s, err := gpumarket.DecodeJobSpec(bytes.NewReader(spec))
	if err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	q, qerr := c.api.quote(ctx, spec, token.Address)
	if qerr == nil && len(q.Qualifying) > 0 {
		return q, nil
	}
	if qerr != nil && gpumarket.ErrorCode(qerr) != gpumarket.ENOTFOUND {
		return nil, qerr
	}
	// No qualifying provider, or no rates: say which.
	if err := c.checkServed(ctx, s); err != nil {
		return nil, err
	}
	if qerr != nil {
		return nil, qerr
	}
	return nil, condErr(ErrNoProvider, gpumarket.ENOTFOUND, "no provider can serve this %s job for %s now (providers serve the model but none passes the spec's requirements: %d GPU(s), %d MiB VRAM, or none is online)",
		s.Kind, s.Model, s.Requirements.GPUCount, s.Requirements.MinVRAMMiB)
}

// checkServed returns ErrNoProvider when no provider lists s's model for
// its kind.
func (c *Client) checkServed(ctx context.Context, s *gpumarket.JobSpec) error {
	ps, err := c.api.providers(ctx, s.Kind, s.Model)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return nil
	}
	all, err := c.api.providers(ctx, s.Kind, "")
	if err != nil {
		return err
	}
	models := map[string]bool{}
	var list []string
	for _, p := range all {
		for _, m := range p.Models {
			if !models[m] {
				models[m] = true
				list = append(list, m)
			}
		}
	}
	if len(list) == 0 {
		return condErr(ErrNoProvider, gpumarket.ENOTFOUND, "no provider serves %s jobs", s.Kind)
	}
	return condErr(ErrNoProvider, gpumarket.ENOTFOUND, "no provider serves model %q for %s jobs; these are served: %s", s.Model, s.Kind, strings.Join(list, ", "))
}

// Submit creates a job: it checks everything first (spec, quote and band,
// chain, token balance, allowance, gas), then uploads the spec, funds and
// sends createJob (or createJobWithPermit), and reads the job id from the
// JobCreated log. Nothing is sent when a check fails: the error wraps
// ErrNoProvider, ErrBelowBand (the message shows the band, or the least
// price a qualifying provider takes) or ErrInsufficientFunds, or is EINVALID
// for a bad spec or request.
func (c *Client) Submit(ctx context.Context, req SubmitRequest) (*Submission, error) {
	if err := c.needWallet("submit"); err != nil {
		return nil, err
	}
	s, err := gpumarket.DecodeJobSpec(bytes.NewReader(req.Spec))
	if err != nil {
		return nil, fmt.Errorf("submit: %w", err)
	}
	tok := req.Token
	if tok.Address.IsZero() {
		if tok, err = c.Token(ctx, ""); err != nil {
			return nil, err
		}
	}
	sub := &Submission{Token: tok}
	var q *Quote
	if req.SkipQuote {
		if req.MaxPrice == nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "submit: a max price is required when the quote is skipped")
		}
		err = nil
	} else {
		q, err = c.Quote(ctx, req.Spec, tok)
	}
	switch {
	case err == nil:
		sub.Quote = q
	case gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND && !errors.Is(err, ErrNoProvider) && (req.IgnoreBand || req.MaxPrice != nil):
		c.log.Warn("the matcher has no rates for this job yet; submitting without a market band", "kind", s.Kind.String())
	default:
		return nil, err
	}
	max := req.MaxPrice
	if max == nil {
		if q == nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "submit: no max price given and the matcher has no quote")
		}
		max = q.Total
	}
	if max.Sign() <= 0 || max.BitLen() > 128 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "submit: max price %s is not a positive uint128", max)
	}
	if q != nil && !req.IgnoreBand && max.Cmp(q.BandLow) < 0 {
		return nil, condErr(ErrBelowBand, gpumarket.EINVALID, "max price %s is below the market band %s – %s for this job (suggested %s); raise the max price",
			tok.Format(max), tok.Format(q.BandLow), tok.Format(q.BandHigh), tok.Format(q.Total))
	}
	if q != nil && !req.IgnoreBand && len(q.Qualifying) > 0 && max.Cmp(q.Qualifying[0].Cost) < 0 {
		return nil, condErr(ErrBelowBand, gpumarket.EINVALID, "max price %s is below every provider able to serve this job now: the cheapest of %d asks %s; raise the max price to at least %s",
			tok.Format(max), len(q.Qualifying), tok.Format(q.Qualifying[0].Cost), tok.Format(q.Qualifying[0].Cost))
	}
	sub.MaxPayment = new(big.Int).Set(max)

	// Funds, before anything is sent.
	me := c.Address()
	bal, err := c.Balances(ctx, tok.Address)
	if err != nil {
		return nil, err
	}
	if bal.Token.Cmp(max) < 0 {
		return nil, condErr(ErrInsufficientFunds, gpumarket.EINVALID, "wallet %s holds %s, the max price is %s: fund it first", me, tok.Format(bal.Token), tok.Format(max))
	}
	permit := false
	switch {
	case bal.Allowance.Cmp(max) >= 0:
		sub.FundedBy = "allowance"
	case req.Funding == FundOrder && c.market.SupportsPermit(ctx, tok.Address, me):
		permit, sub.FundedBy = true, "order+permit"
	case req.Funding == FundNone || req.Funding == FundOrder:
		return nil, condErr(ErrInsufficientFunds, gpumarket.EINVALID, "the marketplace may pull %s of wallet %s's %s, the max price is %s: approve it or allow funding",
			tok.Format(bal.Allowance), me, tok.Symbol, tok.Format(max))
	case req.Funding == FundAuto && c.market.SupportsPermit(ctx, tok.Address, me):
		permit, sub.FundedBy = true, "permit"
	default:
		sub.FundedBy = "approve"
	}
	if req.Funding == FundOrder {
		if c.cfg.Orders == nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "submit: gasless orders need an order relay (the matcher's POST /v1/orders), and none is configured")
		}
		if sub.FundedBy == "allowance" {
			sub.FundedBy = "order"
		}
	} else if err := c.checkGas(ctx); err != nil {
		return nil, err
	}

	// Upload the spec, then send.
	h, err := c.matcher.PostSpec(ctx, req.Spec)
	if err != nil {
		return nil, err
	}
	sub.SpecHash = h
	_, now, err := c.market.ChainTime(ctx)
	if err != nil {
		return nil, err
	}
	life := req.Lifetime
	if life <= 0 {
		life = DefaultJobLifetime
	}
	sub.Deadline = now + uint64(life/time.Second)
	p := &eip712.JobParams{Kind: s.Kind, Token: tok.Address, MaxPayment: max, Deadline: sub.Deadline, PreferredProvider: req.PreferredProvider,
		SpecHash: h, SpecURI: c.cfg.MatcherURL + "/v1/specs/" + h.String(), Creator: req.Creator, CreatorShareBps: req.CreatorShareBps}
	if req.Funding == FundOrder {
		return c.submitOrder(ctx, sub, p, permit, now+uint64(life/time.Second))
	}
	var create market.Call
	if permit {
		ps, err := c.signPermit(ctx, tok.Address, max, now+uint64(life/time.Second))
		if err != nil {
			return nil, err
		}
		create, err = c.market.CreateJobWithPermit(p, &ps)
		if err != nil {
			return nil, err
		}
	} else {
		if sub.FundedBy == "approve" {
			approve, err := c.market.Approve(tok.Address, c.market.Address(), max)
			if err != nil {
				return nil, err
			}
			if _, err := c.send(ctx, "approve", approve); err != nil {
				return nil, fmt.Errorf("approve: %w", err)
			}
		}
		if create, err = c.market.CreateJob(p); err != nil {
			return nil, err
		}
	}
	r, err := c.send(ctx, "create", create)
	if err != nil {
		return nil, fmt.Errorf("createJob: %w", err)
	}
	sub.TxHash = r.TxHash
	if sub.JobID, err = market.CreatedJobID(c.market.Address(), c.market.RegistryAddress(), r); err != nil {
		return nil, err
	}
	c.log.Info("job created", "job_id", sub.JobID.String(), "tx_hash", r.TxHash.String(), "funded_by", sub.FundedBy)
	return sub, nil
}

func (c *Client) signPermit(ctx context.Context, token gpumarket.Address, value *big.Int, deadline uint64) (eip712.PermitSignature, error) {
	dom, err := c.market.TokenDomain(ctx, token)
	if err != nil {
		return eip712.PermitSignature{}, err
	}
	nonce, err := c.market.PermitNonce(ctx, token, c.Address())
	if err != nil {
		return eip712.PermitSignature{}, err
	}
	return eip712.SignPermit(c.cfg.Key, dom, &eip712.Permit{Owner: c.Address(), Spender: c.market.Address(), Value: value, Nonce: nonce,
		Deadline: new(big.Int).SetUint64(deadline)})
}

// checkGas refuses a wallet without ETH for gas.
func (c *Client) checkGas(ctx context.Context) error {
	wei, err := c.market.GasBalance(ctx, c.Address())
	if err != nil {
		return err
	}
	if wei.Sign() == 0 {
		return condErr(ErrInsufficientFunds, gpumarket.EINVALID, "wallet %s has no ETH to pay for gas", c.Address())
	}
	return nil
}

// submitOrder signs p as a JobOrder (and a permit when asked) and hands it
// to the order relay.
func (c *Client) submitOrder(ctx context.Context, sub *Submission, p *eip712.JobParams, permit bool, expiry uint64) (*Submission, error) {
	nonce, err := c.orderNonce()
	if err != nil {
		return nil, err
	}
	o := SignedOrder{Order: eip712.JobOrder{Params: *p, Auth: eip712.OrderAuth{Client: c.Address(), Nonce: nonce, Expiry: expiry}}}
	sig, err := eip712.SignJobOrder(c.cfg.Key, c.market.Domain(), &o.Order)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINTERNAL, "sign order: %v", err)
	}
	o.Signature = sig
	sub.OrderNonce = new(big.Int).Set(nonce)
	if permit {
		ps, err := c.signPermit(ctx, p.Token, p.MaxPayment, expiry)
		if err != nil {
			return nil, err
		}
		o.Permit = &ps
	}
	id, tx, err := c.cfg.Orders.SubmitOrder(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("submit order: %w", err)
	}
	sub.JobID, sub.TxHash = id, tx
	c.log.Info("job created from a signed order", "job_id", id.String(), "tx_hash", tx.String(), "funded_by", sub.FundedBy)
	return sub, nil
}

// orderNonce is a fresh random order nonce (128 bits), or under WithTxKey
// keccak256(client address, key): the same order key gets the same nonce,
// which the marketplace accepts once.
func (c *Client) orderNonce() (*big.Int, error) {
	if c.txKey != "" {
		a := c.Address()
		h := keys.Keccak256(append(a[:], c.txKey...))
		return new(big.Int).SetBytes(h[:]), nil
	}
	var nb [16]byte
	if _, err := rand.Read(nb[:]); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINTERNAL, "order nonce: %v", err)
	}
	return new(big.Int).SetBytes(nb[:]), nil
}
