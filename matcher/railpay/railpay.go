// Package railpay runs the payment path of jobs paid on a rail outside the
// EVM chain (the Solana rail): it turns the matcher's choice of provider
// and price into a quote with a fresh reference key and a Solana Pay
// transfer request (the 402 answer), binds finalized payments to quotes,
// and hands funded jobs to their providers.
//
// # Invariants
//
//   - A quote's payment is found by its reference key alone and checked at
//     finalized commitment against the quote's recipient (the provider's
//     Solana wallet), mint, amount (what arrived), expiry and cluster
//     (Checker). The memo is a human-readable backup and never binds.
//   - One payment funds at most one job and a quote at most one payment:
//     both are unique constraints in the store, so two binders racing, a
//     payment presented for two quotes, or a quote paid twice fund one job.
//     Every other payment is recorded with its verdict and reason and
//     starts nothing.
//   - A job is recorded funded in the same database transaction as its
//     payment; dispatch moves it to dispatched only after the Dispatcher
//     accepted it. A crash between payment and binding finds the payment
//     again; a crash between binding and dispatch dispatches it on
//     restart; a crash after the hand-off hands it off again, so a
//     Dispatcher must be idempotent per quote id.
//   - Payment goes straight to the provider: nothing here holds funds.
package railpay

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/solana"
)

// Store keeps quotes, their payments and jobs (postgres.RailQuoteStore).
type Store interface {
	CreateRailQuote(ctx context.Context, q gpumarket.RailQuote) (int64, error)
	RailQuote(ctx context.Context, reference string) (gpumarket.RailQuote, error)
	OpenRailQuotes(ctx context.Context, rail string, since time.Time, after int64, limit int) ([]gpumarket.RailQuote, error)
	RecordRailPayments(ctx context.Context, q gpumarket.RailQuote, ps []gpumarket.RailQuotePayment) ([]gpumarket.RailQuotePayment, *gpumarket.RailJob, bool, error)
	FundedRailJobs(ctx context.Context, rail string, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error)
	MoveRailJob(ctx context.Context, quoteID int64, from, to gpumarket.RailJobState) error
	RailQuotePayments(ctx context.Context, quoteID int64) ([]gpumarket.RailQuotePayment, error)
	RailJob(ctx context.Context, quoteID int64) (gpumarket.RailJob, error)
	RailOffers(ctx context.Context, provider gpumarket.Address, now int64, limit int) ([]gpumarket.SignedRailOffer, error)
	RecentRailJobs(ctx context.Context, rail string, before int64, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error)
}

// Checker finds and checks the payments of quotes at finalized commitment
// (*solana.QuotePayments).
type Checker interface {
	Cluster() string
	Find(ctx context.Context, t gpumarket.RailQuoteTerms) ([]gpumarket.RailQuotePayment, error)
	Check(ctx context.Context, t gpumarket.RailQuoteTerms, signature string) (gpumarket.RailQuotePayment, error)
}

var _ Checker = (*solana.QuotePayments)(nil)

// Dispatcher hands a funded job to the quoted provider's relayer. It must
// be idempotent per quote id: after a crash the same job is handed again.
type Dispatcher interface {
	Dispatch(ctx context.Context, job gpumarket.RailJob, q gpumarket.RailQuote) error
}

// Config configures a Service; zero fields take the defaults.
type Config struct {
	// TTL is how long a quote may be paid (default 15m).
	TTL time.Duration
	// Grace is how long after a quote's expiry its reference is still
	// listed, for payments made before the expiry that finalize after it
	// (default 2m).
	Grace time.Duration
	// Every is the interval of Run (default 5s); Batch the most quotes or
	// jobs one pass handles (default 100).
	Every time.Duration
	Batch int
	// Label is the Solana Pay label shown by wallets (default "gpumarket").
	Label string
}

// Offer is what the matcher chose for a job request on the rail: the
// provider, its wallet, and the price converted into the rail's units.
type Offer struct {
	ChainID   uint64
	Provider  gpumarket.Address
	Recipient string
	Mint      string
	Decimals  uint8
	Amount    *big.Int
	SpecHash  gpumarket.Hash
	// Breakdown is the oracle quote and the conversion, as JSON.
	Breakdown json.RawMessage
}

// Service is the rail's payment path.
type Service struct {
	cfg      Config
	store    Store
	checker  Checker
	dispatch Dispatcher
	rand     io.Reader
	now      func() time.Time
	log      *slog.Logger

	mu    sync.Mutex
	after int64 // Bind's page: the last quote id it listed
}

// New returns the payment path over store, checker and d. A nil d leaves
// funded jobs funded (Run only binds; Dispatch fails): the hand-off to
// relayers is a port this package does not implement. rand defaults to
// crypto/rand, now to time.Now, a nil log discards. It returns an EINVALID
// error for a negative duration or a missing store or checker.
func New(cfg Config, store Store, checker Checker, d Dispatcher, rnd io.Reader, now func() time.Time, log *slog.Logger) (*Service, error) {
	if store == nil || checker == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "railpay: store and checker are required")
	}
	if cfg.TTL < 0 || cfg.Grace < 0 || cfg.Every < 0 || cfg.Batch < 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "railpay: ttl, grace, every and batch must not be negative")
	}
	if cfg.TTL == 0 {
		cfg.TTL = 15 * time.Minute
	}
	if cfg.Grace == 0 {
		cfg.Grace = 2 * time.Minute
	}
	if cfg.Every == 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Batch == 0 {
		cfg.Batch = 100
	}
	if cfg.Label == "" {
		cfg.Label = "gpumarket"
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, store: store, checker: checker, dispatch: d, rand: rnd, now: now, log: log.With("rail", gpumarket.RailSolana)}, nil
}

// Quote makes and stores the quote for o: a fresh reference key, the
// expiry, and the Solana Pay transfer request. It returns an EINVALID
// error for an offer that cannot be paid (bad keys, amount not positive)
// and the store's errors.
func (s *Service) Quote(ctx context.Context, o Offer) (gpumarket.RailQuote, error) {
	if o.Amount == nil || o.Amount.Sign() <= 0 {
		return gpumarket.RailQuote{}, gpumarket.Errorf(gpumarket.EINVALID, "rail quote: amount must be positive")
	}
	ref, err := solana.NewReference(s.rand)
	if err != nil {
		return gpumarket.RailQuote{}, fmt.Errorf("rail quote: %w", err)
	}
	now := s.now().UTC().Truncate(time.Second)
	q := gpumarket.RailQuote{Rail: gpumarket.RailSolana, ChainID: o.ChainID, Provider: o.Provider, SpecHash: o.SpecHash,
		Breakdown: o.Breakdown, CreatedAt: now,
		Terms: gpumarket.RailQuoteTerms{Reference: ref, Recipient: o.Recipient, Mint: o.Mint, Decimals: o.Decimals,
			Amount: new(big.Int).Set(o.Amount), ExpiresAt: now.Add(s.cfg.TTL), Cluster: s.checker.Cluster()}}
	if len(q.Breakdown) == 0 {
		q.Breakdown = json.RawMessage("{}")
	}
	// The memo names the reference's start: readable on an explorer,
	// and it never starts with "gpumarket:" (the EVM jobs' memo format).
	q.Memo = "gpumarket quote " + ref[:8]
	url, err := solana.TransferRequest{Recipient: o.Recipient, Mint: o.Mint, Amount: o.Amount, Decimals: o.Decimals,
		Reference: ref, Label: s.cfg.Label, Message: "GPU job " + o.SpecHash.String()[:10], Memo: q.Memo}.URL()
	if err != nil {
		return gpumarket.RailQuote{}, gpumarket.Errorf(gpumarket.EINVALID, "rail quote: %v", err)
	}
	q.URL = url
	if q.ID, err = s.store.CreateRailQuote(ctx, q); err != nil {
		return gpumarket.RailQuote{}, err
	}
	s.log.InfoContext(ctx, "rail quote", "quote", q.ID, "provider", q.Provider, "amount", q.Terms.Amount.String(), "mint", q.Terms.Mint, "reference", ref)
	return q, nil
}

// Confirm checks the transaction signature, presented by a client that
// paid out of band, for the quote whose reference is reference, records
// it and binds it if it funds the quote. It returns the payment as
// recorded and the quote's job (nil when not funded); ENOTFOUND for an
// unknown quote, EINVALID for a malformed signature, ENOTFOUND when the
// transaction is not finalized yet, and the checker's errors.
func (s *Service) Confirm(ctx context.Context, reference, signature string) (gpumarket.RailQuotePayment, *gpumarket.RailJob, error) {
	q, err := s.store.RailQuote(ctx, reference)
	if err != nil {
		return gpumarket.RailQuotePayment{}, nil, err
	}
	p, err := s.checker.Check(ctx, q.Terms, signature)
	switch {
	case errors.Is(err, solana.ErrNotFound):
		return p, nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "transaction %s is not finalized (or unknown) on the quote's cluster; try again in a minute", signature)
	case errors.Is(err, solana.ErrMalformed) && !isRPCError(err):
		return p, nil, gpumarket.Errorf(gpumarket.EINVALID, "transaction %s: %v", signature, err)
	case err != nil:
		return p, nil, fmt.Errorf("confirm %s for quote %d: %w", signature, q.ID, err)
	}
	ps, job, _, err := s.store.RecordRailPayments(ctx, q, []gpumarket.RailQuotePayment{p})
	if err != nil {
		return p, nil, err
	}
	s.logPayment(ctx, q, ps[0])
	return ps[0], job, nil
}

func isRPCError(err error) bool {
	var re *solana.RPCError
	return errors.As(err, &re)
}

// Status returns the quote whose reference is reference, the payments
// recorded for it and its job (nil when not funded); ENOTFOUND for an
// unknown quote.
func (s *Service) Status(ctx context.Context, reference string) (gpumarket.RailQuote, []gpumarket.RailQuotePayment, *gpumarket.RailJob, error) {
	q, err := s.store.RailQuote(ctx, reference)
	if err != nil {
		return q, nil, nil, err
	}
	ps, err := s.store.RailQuotePayments(ctx, q.ID)
	if err != nil {
		return q, nil, nil, err
	}
	j, err := s.store.RailJob(ctx, q.ID)
	switch gpumarket.ErrorCode(err) {
	case "":
		return q, ps, &j, nil
	case gpumarket.ENOTFOUND:
		return q, ps, nil, nil
	}
	return q, nil, nil, err
}

// Bind lists the payments of the next Config.Batch open quotes (paging
// through all of them over successive calls) and records them, binding
// those that fund their quote. It returns the number of jobs funded;
// errors of single quotes are joined and the others still done (what was
// checked before an RPC error is recorded).
func (s *Service) Bind(ctx context.Context) (int, error) {
	now := s.now()
	s.mu.Lock()
	after := s.after
	s.mu.Unlock()
	quotes, err := s.store.OpenRailQuotes(ctx, gpumarket.RailSolana, now.Add(-s.cfg.Grace), after, s.cfg.Batch)
	if err != nil {
		return 0, err
	}
	next := int64(0) // a short page: start again from the first
	if len(quotes) == s.cfg.Batch {
		next = quotes[len(quotes)-1].ID
	}
	s.mu.Lock()
	s.after = next
	s.mu.Unlock()
	funded := 0
	var errs []error
	for _, q := range quotes {
		ps, findErr := s.checker.Find(ctx, q.Terms)
		if findErr != nil {
			errs = append(errs, fmt.Errorf("quote %d: %w", q.ID, findErr))
		}
		if len(ps) == 0 {
			continue
		}
		rec, _, bound, err := s.store.RecordRailPayments(ctx, q, ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("quote %d: %w", q.ID, err))
			continue
		}
		for _, p := range rec {
			s.logPayment(ctx, q, p)
		}
		if bound {
			funded++
		}
	}
	return funded, errors.Join(errs...)
}

func (s *Service) logPayment(ctx context.Context, q gpumarket.RailQuote, p gpumarket.RailQuotePayment) {
	if p.Verdict == gpumarket.RailFunds {
		s.log.InfoContext(ctx, "rail payment funds job", "quote", q.ID, "tx_hash", p.Signature, "payer", p.Payer, "arrived", p.Arrived.String(), "excess", p.Excess.String())
		return
	}
	s.log.WarnContext(ctx, "rail payment does not fund", "quote", q.ID, "tx_hash", p.Signature, "verdict", p.Verdict, "reason", p.Reason)
}

// Dispatch hands every funded job to its provider and marks it
// dispatched. It returns the number dispatched; a job whose hand-off
// fails stays funded and is tried again by the next pass.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	if s.dispatch == nil {
		return 0, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "railpay: no dispatcher: funded jobs wait")
	}
	jobs, quotes, err := s.store.FundedRailJobs(ctx, gpumarket.RailSolana, s.cfg.Batch)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for i, j := range jobs {
		if err := s.dispatch.Dispatch(ctx, j, quotes[i]); err != nil {
			errs = append(errs, fmt.Errorf("dispatch rail job %d: %w", j.QuoteID, err))
			continue
		}
		err := s.store.MoveRailJob(ctx, j.QuoteID, gpumarket.RailJobFunded, gpumarket.RailJobDispatched)
		switch gpumarket.ErrorCode(err) {
		case "":
			n++
			s.log.InfoContext(ctx, "rail job dispatched", "quote", j.QuoteID, "provider", quotes[i].Provider)
		case gpumarket.ECONFLICT: // another instance moved it first
		default:
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}

// Offers returns the signed offers waiting for provider's relayer
// (dispatched, not yet claimed, not expired), at most Config.Batch.
func (s *Service) Offers(ctx context.Context, provider gpumarket.Address) ([]gpumarket.SignedRailOffer, error) {
	return s.store.RailOffers(ctx, provider, s.now().Unix(), s.cfg.Batch)
}

// Jobs returns up to limit rail jobs of every state, newest first, with
// their quotes (before > 0: only quote ids below it): the explorer's list.
func (s *Service) Jobs(ctx context.Context, before int64, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error) {
	return s.store.RecentRailJobs(ctx, gpumarket.RailSolana, before, limit)
}

// Run binds and dispatches every Config.Every until ctx is cancelled (a
// normal return: nil); errors are logged and retried.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		if _, err := s.Bind(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "rail bind pass failed; retrying", "err", err)
		}
		if s.dispatch != nil { // without one, funded jobs wait
			if _, err := s.Dispatch(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "rail dispatch pass failed; retrying", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
