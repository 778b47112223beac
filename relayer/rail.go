package relayer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// RailOffers is the matcher API's list of rail offers to a provider (GET
// /v1/rail/solana/offers/{addr}).
type RailOffers interface {
	RailOffers(ctx context.Context, provider gpumarket.Address) ([]gpumarket.SignedRailOffer, error)
}

// RailOfferVerifier returns the address that signed a rail offer (EIP-712,
// the market's domain).
type RailOfferVerifier interface {
	RailOfferSigner(o *gpumarket.RailOffer, sig []byte) (gpumarket.Address, error)
}

// RailMirror is the matcher's record of rail jobs and their payments
// (postgres.RailQuoteStore): the relayer reads whether a job's payment is
// final there and records the job's lifecycle there.
type RailMirror interface {
	RailPaymentFinal(ctx context.Context, quoteID int64) (gpumarket.RailJob, bool, error)
	ClaimRailJob(ctx context.Context, provider gpumarket.Address, quoteID int64) error
	RestartRailJob(ctx context.Context, provider gpumarket.Address, quoteID int64) (int, error)
	RunningRailJobs(ctx context.Context, provider gpumarket.Address) ([]gpumarket.RailOffer, []int, error)
	DeliverRailJob(ctx context.Context, quoteID int64, result gpumarket.Hash, uri string) error
	FailRailJob(ctx context.Context, quoteID int64, from gpumarket.RailJobState, reason string) error
}

// MatcherRole reports whether addr holds the marketplace's matcher role
// (Chain.IsMatcher).
type MatcherRole interface {
	IsMatcher(ctx context.Context, addr gpumarket.Address) (bool, error)
}

// RailConfig configures a RailLoop; zero fields take the defaults.
type RailConfig struct {
	Provider gpumarket.Address // required
	// ResultBaseURL: results are served at ResultBaseURL +
	// "/v1/results/0x<hash>" (recorded with the delivered job).
	ResultBaseURL string
	// MaxAttempts bounds the runs of a claimed job (default
	// DefaultMaxAttempts); RunTimeout one run (default 30m).
	MaxAttempts int
	RunTimeout  time.Duration
	Now         func() time.Time `json:"-"`
}

// RailLoop runs the jobs prepaid on a rail that the matcher offers to the
// provider.
//
// # Invariants
//
//   - An offer is taken only when it is signed by an address holding the
//     matcher role, names this provider, has not expired, and the mirror
//     shows its job dispatched and funded by a finalized payment whose
//     payer is the offer's payer key.
//   - Exactly one relayer claims a job (dispatched -> running is one
//     conditional update); the claim is recorded before the run, so a
//     crash during the run resumes it on restart (each run counted, at
//     most MaxAttempts) and the result is delivered once (running ->
//     delivered, with the result hash, which makes the payer key its
//     owner for the result server).
//   - Runs are sequential within Tick.
type RailLoop struct {
	cfg      RailConfig
	offers   RailOffers
	verifier RailOfferVerifier
	role     MatcherRole
	mirror   RailMirror
	specs    Specs
	results  Results
	exec     executor.Executor
	log      *slog.Logger
}

// NewRailLoop returns the rail job loop; EINVALID for a missing provider
// or part.
func NewRailLoop(cfg RailConfig, offers RailOffers, verifier RailOfferVerifier, role MatcherRole, mirror RailMirror,
	specs Specs, results Results, exec executor.Executor, log *slog.Logger) (*RailLoop, error) {
	if cfg.Provider.IsZero() || offers == nil || verifier == nil || role == nil || mirror == nil || specs == nil || results == nil || exec == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: the rail loop needs a provider, the matcher's offers, a verifier, the matcher role, the mirror, specs, a result store and an executor")
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.RunTimeout <= 0 {
		cfg.RunTimeout = 30 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RailLoop{cfg: cfg, offers: offers, verifier: verifier, role: role, mirror: mirror, specs: specs, results: results,
		exec: exec, log: log.With("rail", gpumarket.RailSolana)}, nil
}

// Tick finishes the provider's claimed jobs (left running by a crash),
// then takes and runs the offers waiting for it. Errors of single jobs
// are joined; the others are still done.
func (l *RailLoop) Tick(ctx context.Context) error {
	var errs []error
	running, attempts, err := l.mirror.RunningRailJobs(ctx, l.cfg.Provider)
	if err != nil {
		return err
	}
	for i, o := range running {
		if attempts[i] >= l.cfg.MaxAttempts {
			errs = append(errs, l.fail(ctx, o, gpumarket.RailJobRunning, fmt.Sprintf("abandoned after %d attempts", attempts[i])))
			continue
		}
		n, err := l.mirror.RestartRailJob(ctx, l.cfg.Provider, o.QuoteID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		l.log.InfoContext(ctx, "rail job resumed", "quote", o.QuoteID, "attempt", n)
		errs = append(errs, l.run(ctx, o, n))
	}
	offers, err := l.offers.RailOffers(ctx, l.cfg.Provider)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list rail offers: %w", err))...)
	}
	for _, so := range offers {
		o := so.Offer
		if err := l.check(ctx, so); err != nil {
			l.log.WarnContext(ctx, "rail offer refused", "quote", o.QuoteID, "err", err)
			errs = append(errs, err)
			continue
		}
		switch err := l.mirror.ClaimRailJob(ctx, l.cfg.Provider, o.QuoteID); gpumarket.ErrorCode(err) {
		case "":
		case gpumarket.ECONFLICT: // claimed already (by a run before a crash: resumed above next tick)
			continue
		default:
			errs = append(errs, err)
			continue
		}
		l.log.InfoContext(ctx, "rail job claimed", "quote", o.QuoteID, "reference", o.Reference)
		errs = append(errs, l.run(ctx, o, 1))
	}
	return errors.Join(errs...)
}

// check refuses an offer that is not the matcher's, not this provider's,
// expired, or whose payment the mirror does not show final and bound to
// the offer's payer.
func (l *RailLoop) check(ctx context.Context, so gpumarket.SignedRailOffer) error {
	o := so.Offer
	if o.Provider != l.cfg.Provider {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "rail offer %d names provider %s, not %s", o.QuoteID, o.Provider, l.cfg.Provider)
	}
	if now := l.cfg.Now().Unix(); now >= o.Expiry {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "rail offer %d expired at %d (now %d)", o.QuoteID, o.Expiry, now)
	}
	signer, err := l.verifier.RailOfferSigner(&o, so.Signature)
	if err != nil {
		return fmt.Errorf("rail offer %d: %w", o.QuoteID, err)
	}
	ok, err := l.role.IsMatcher(ctx, signer)
	if err != nil {
		return fmt.Errorf("rail offer %d: matcher role of %s: %w", o.QuoteID, signer, err)
	}
	if !ok {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "rail offer %d is signed by %s, which holds no matcher role", o.QuoteID, signer)
	}
	job, final, err := l.mirror.RailPaymentFinal(ctx, o.QuoteID)
	if err != nil {
		return fmt.Errorf("rail offer %d: payment: %w", o.QuoteID, err)
	}
	switch {
	case !final:
		return gpumarket.Errorf(gpumarket.ECONFLICT, "rail offer %d: the mirror shows no finalized payment funding it", o.QuoteID)
	case job.Payer != o.Payer:
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "rail offer %d names payer %s; the payment's payer is %s", o.QuoteID, o.Payer, job.Payer)
	case job.State != gpumarket.RailJobDispatched:
		return gpumarket.Errorf(gpumarket.ECONFLICT, "rail offer %d: job is %s, not dispatched", o.QuoteID, job.State)
	}
	return nil
}

// run runs the claimed job o (attempt n) and delivers its result; a
// failure leaves it running for the next Tick until MaxAttempts, then
// fails it.
func (l *RailLoop) run(ctx context.Context, o gpumarket.RailOffer, n int) error {
	hash, err := l.runOnce(ctx, o)
	if err != nil {
		if gpumarket.ErrorCode(err) == gpumarket.EINVALID || n >= l.cfg.MaxAttempts {
			return errors.Join(err, l.fail(ctx, o, gpumarket.RailJobRunning, err.Error()))
		}
		l.log.WarnContext(ctx, "rail job run failed; retrying", "quote", o.QuoteID, "attempt", n, "err", err)
		return err
	}
	uri := fmt.Sprintf("%s/v1/results/%s", l.cfg.ResultBaseURL, hash)
	if err := l.mirror.DeliverRailJob(ctx, o.QuoteID, hash, uri); err != nil {
		return fmt.Errorf("deliver rail job %d: %w", o.QuoteID, err)
	}
	l.log.InfoContext(ctx, "rail job delivered", "quote", o.QuoteID, "result_hash", hash, "payer", o.Payer)
	return nil
}

func (l *RailLoop) runOnce(ctx context.Context, o gpumarket.RailOffer) (gpumarket.Hash, error) {
	var zero gpumarket.Hash
	spec, err := l.specs.Spec(ctx, o.SpecHash)
	if err != nil {
		return zero, fmt.Errorf("fetch spec %s of rail job %d: %w", o.SpecHash, o.QuoteID, err)
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(spec))
	if err != nil {
		return zero, fmt.Errorf("rail job %d: %w", o.QuoteID, err)
	}
	rctx, cancel := context.WithTimeout(ctx, l.cfg.RunTimeout)
	defer cancel()
	// Rail jobs have no on-chain id; the executor is given none (0). The
	// deadline is wall-clock time (Now judges offers' expiries).
	deadline, _ := rctx.Deadline()
	res, err := l.exec.Run(rctx, executor.Job{Kind: sp.Kind, Spec: spec, Deadline: deadline})
	if err != nil {
		return zero, fmt.Errorf("run rail job %d: %w", o.QuoteID, err)
	}
	defer func() { _ = res.Release() }()
	out, err := res.Open()
	if err != nil {
		return zero, fmt.Errorf("open result of rail job %d: %w", o.QuoteID, err)
	}
	hash, _, err := l.results.Put(ctx, out)
	out.Close()
	if err != nil {
		return zero, fmt.Errorf("store result of rail job %d: %w", o.QuoteID, err)
	}
	return hash, nil
}

func (l *RailLoop) fail(ctx context.Context, o gpumarket.RailOffer, from gpumarket.RailJobState, reason string) error {
	l.log.WarnContext(ctx, "rail job failed", "quote", o.QuoteID, "reason", reason)
	if err := l.mirror.FailRailJob(ctx, o.QuoteID, from, reason); err != nil && gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		return err
	}
	return nil
}
