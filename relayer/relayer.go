// Package relayer is the provider's job loop: the logic of the daemon a GPU
// provider runs next to its GPUs, with every dependency behind a port
// declared here (Assignments, Chain, Calls, Sender, Specs, Results, Owners,
// an executor.Executor), so that it is tested with fakes. It is not the
// daemon: package relayer/daemon is, and it builds this loop from the real
// parts (node, PostgreSQL, matcher client, result store) and runs it.
//
// Each Tick the loop
//
//  1. takes the matcher's pending assignments for this provider, verifies
//     each (signed by an address holding the matcher role, for this chain and
//     marketplace, not expired, for an open job) and accepts the ones it can
//     serve in time and within capacity and its executor can run (the
//     executor's Preflight: kind and model served, spec parsed, inputs within
//     reach and limits); the others lapse, with the reason logged (a refusal
//     by the executor once per offer), and the matcher offers the job to its
//     runner-up when the offer expires;
//  2. runs every job assigned to it through the executor, stores the result
//     content-addressed (the hash it commits on-chain is keccak256 of the exact
//     bytes) and submits the result before the deadline. A failed run is
//     retried at most MaxAttempts times in all, after a growing backoff and
//     never at or past the deadline; then the job is abandoned, with the
//     reason and the client's recourse (a refund after the deadline) logged.
//     Attempts are recorded (Attempts) before each run, so the bound holds
//     across restarts;
//  3. settles its submitted jobs whose challenge window has passed when the
//     client has not;
//  4. withdraws its earnings above a threshold (Withdraw, called on a schedule).
//
// Invariants: every transaction goes through the Sender with an idempotency
// key naming the action (accept-<job>, submit-<job>, settle-<job>,
// withdraw-<token>-<n>), so repeating a Tick after a crash never sends
// anything twice; the chain's state, as the indexer mirrors it, is the final
// word on what is still to do; a job field is never used as anything but data.
package relayer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// SignedAssignment is an assignment as the matcher API serves it.
type SignedAssignment struct {
	Assignment gpumarket.Assignment
	Signature  []byte
}

// Assignments is the matcher API as the relayer uses it.
type Assignments interface {
	Pending(ctx context.Context, provider gpumarket.Address) ([]SignedAssignment, error)
}

// AssignmentVerifier checks an assignment's EIP-712 signature (chain id and
// marketplace in the domain) and returns the signer; AssignmentJobHash
// returns the hash an assignment of job must be bound to (its hash as
// created), so the relayer never relies on the API's word for it.
type AssignmentVerifier interface {
	AssignmentSigner(a *gpumarket.Assignment, sig []byte) (gpumarket.Address, error)
	AssignmentJobHash(job *gpumarket.Job) (gpumarket.Hash, error)
}

// Chain answers what the relayer needs from the chain mirror and the chain.
type Chain interface {
	// Job returns the job as indexed, or an ENOTFOUND error.
	Job(ctx context.Context, id gpumarket.JobID) (*gpumarket.JobRecord, error)
	// ProviderJobs returns the provider's jobs in the given states.
	ProviderJobs(ctx context.Context, provider gpumarket.Address, states ...gpumarket.JobState) ([]*gpumarket.JobRecord, error)
	// IsMatcher reports whether addr holds the marketplace's matcher role.
	IsMatcher(ctx context.Context, addr gpumarket.Address) (bool, error)
}

// Calls builds marketplace calldata.
type Calls interface {
	AcceptJob(job *gpumarket.Job, a *gpumarket.Assignment, sig []byte) ([]byte, error)
	SubmitResult(job *gpumarket.Job, resultHash gpumarket.Hash, resultURI string, usage gpumarket.Usage, amountDue *big.Int) ([]byte, error)
	Settle(job *gpumarket.Job) ([]byte, error)
	Withdraw(token gpumarket.Address) ([]byte, error)
}

// Sender sends a transaction exactly once per key (the transaction manager).
type Sender interface {
	Submit(ctx context.Context, key string, to gpumarket.Address, data []byte, value *big.Int) (gpumarket.TxIntent, error)
	// Intent returns the intent recorded under key, or an ENOTFOUND error.
	Intent(ctx context.Context, key string) (gpumarket.TxIntent, error)
}

// Specs returns a job's spec document by its hash.
type Specs interface {
	Spec(ctx context.Context, hash gpumarket.Hash) ([]byte, error)
}

// Results stores result bytes under their keccak256 hash (resultstore.Store).
type Results interface {
	Put(ctx context.Context, r io.Reader) (gpumarket.Hash, int64, error)
}

// Owners remembers which client may download a result; the record is
// written before the result hash is committed on-chain.
type Owners interface {
	SetOwner(ctx context.Context, hash gpumarket.Hash, job gpumarket.JobID, client gpumarket.Address, size int64) error
}

// Pricer returns the amount due for a job's usage (<= the agreed price).
type Pricer func(job *gpumarket.JobRecord, usage gpumarket.Usage) *big.Int

// Config holds the job loop's settings. DefaultConfig gives the defaults;
// New fills every zero field from it. The function fields are not
// configuration a file can carry (json:"-"): nil takes the default noted.
type Config struct {
	Provider      gpumarket.Address // the operator address the provider registered as. Required.
	Market        gpumarket.Address // the JobMarketplace. Required.
	Capacity      int               // jobs run at once (and accepted but unfinished): the attestation's slots. Required.
	AcceptMargin  time.Duration     // an assignment expiring sooner is left to lapse
	MinRunTime    time.Duration     // a job whose deadline is closer than this is not accepted
	ResultBaseURL string            // results are served at ResultBaseURL + "/v1/results/0x<hash>"
	// RetryAfter is how long after an attempt ended without effect the
	// action is tried again.
	RetryAfter time.Duration
	// MaxAttempts bounds the runs of an accepted job (the first included);
	// a failed run is retried after AttemptBackoff, doubled after each
	// further failure up to MaxAttemptBackoff, and never at or past the
	// job's deadline.
	MaxAttempts       int
	AttemptBackoff    time.Duration
	MaxAttemptBackoff time.Duration

	CanServe func(kind gpumarket.JobKind) bool `json:"-"` // nil: every kind
	Price    Pricer                            `json:"-"` // nil: the agreed price
	Now      func() time.Time                  `json:"-"` // nil: time.Now
	// ChainTime returns the chain's time (the latest block's timestamp):
	// deadlines, assignment expiries and challenge windows are judged by
	// it, not by the local clock, which may run ahead of the chain. nil:
	// Now.
	ChainTime func(ctx context.Context) (time.Time, error) `json:"-"`
}

// DefaultConfig returns the job loop's defaults: an assignment expiring
// within 5s lapses, a job due within 30s is not accepted, an action
// without effect is retried after 10s, and a job is run at most 3 times,
// 5s after its first failure and 10s after its second (at most 2m apart).
// Provider, Market and Capacity have no default.
func DefaultConfig() Config {
	return Config{AcceptMargin: 5 * time.Second, MinRunTime: 30 * time.Second, RetryAfter: 10 * time.Second,
		MaxAttempts: DefaultMaxAttempts, AttemptBackoff: DefaultAttemptBackoff, MaxAttemptBackoff: DefaultMaxAttemptBackoff}
}

// Relayer is one provider's job loop.
type Relayer struct {
	cfg      Config
	matcher  Assignments
	verifier AssignmentVerifier
	chain    Chain
	calls    Calls
	sender   Sender
	specs    Specs
	results  Results
	owners   Owners
	attempts Attempts
	exec     executor.Executor
	log      *slog.Logger

	mu      sync.Mutex
	running map[gpumarket.JobID]bool
	// refused holds the offers (by AcceptKey) the executor's Preflight
	// refused, until each expires: an offer is checked and logged once.
	refused map[string]time.Time
	wg      sync.WaitGroup
}

// New returns a job loop, filling cfg's zero fields from DefaultConfig.
// attempts persists the runs of accepted jobs; nil keeps them in memory
// (MemAttempts: the bound then restarts with the process). It returns an
// EINVALID error for a bad configuration.
func New(cfg Config, matcher Assignments, verifier AssignmentVerifier, chain Chain, calls Calls, sender Sender,
	specs Specs, results Results, owners Owners, attempts Attempts, exec executor.Executor, log *slog.Logger) (*Relayer, error) {
	switch {
	case cfg.Provider.IsZero():
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: provider address is required")
	case cfg.Market.IsZero():
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: market address is required")
	case cfg.Capacity < 1:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: capacity must be at least 1")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ChainTime == nil {
		now := cfg.Now
		cfg.ChainTime = func(context.Context) (time.Time, error) { return now(), nil }
	}
	def := DefaultConfig()
	durationDefault(&cfg.AcceptMargin, def.AcceptMargin)
	durationDefault(&cfg.MinRunTime, def.MinRunTime)
	durationDefault(&cfg.RetryAfter, def.RetryAfter)
	durationDefault(&cfg.AttemptBackoff, def.AttemptBackoff)
	durationDefault(&cfg.MaxAttemptBackoff, def.MaxAttemptBackoff)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = def.MaxAttempts
	}
	if cfg.MaxAttemptBackoff < cfg.AttemptBackoff {
		cfg.MaxAttemptBackoff = cfg.AttemptBackoff
	}
	if attempts == nil {
		attempts = &MemAttempts{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.CanServe == nil {
		cfg.CanServe = func(gpumarket.JobKind) bool { return true }
	}
	if cfg.Price == nil {
		cfg.Price = func(j *gpumarket.JobRecord, _ gpumarket.Usage) *big.Int { return new(big.Int).Set(j.Price) }
	}
	return &Relayer{cfg: cfg, matcher: matcher, verifier: verifier, chain: chain, calls: calls, sender: sender,
		specs: specs, results: results, owners: owners, attempts: attempts, exec: exec, log: log,
		running: map[gpumarket.JobID]bool{}, refused: map[string]time.Time{}}, nil
}

// durationDefault sets *d to def when it is not positive.
func durationDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Tick does one round: accept, run and submit, settle. Jobs run in the
// background (at most Capacity at once); Wait waits for them.
func (r *Relayer) Tick(ctx context.Context) error {
	return errors.Join(r.acceptAssignments(ctx), r.runAssigned(ctx), r.settleSubmitted(ctx))
}

// Running returns the number of jobs running now.
func (r *Relayer) Running() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.running)
}

// Wait waits for every running job to finish.
func (r *Relayer) Wait() { r.wg.Wait() }

// Reason codes for assignments the relayer lets lapse.
const (
	LapseBadSignature  = "bad signature"
	LapseNotMatcher    = "signer is not a matcher"
	LapseOtherProvider = "assignment for another provider"
	LapseExpiring      = "expires too soon"
	LapseNotOpen       = "job not open"
	LapseDeadline      = "deadline too close"
	LapseCapacity      = "no free capacity"
	LapseCannotServe   = "kind not served"
	LapsePrice         = "price above the job's maximum"
	LapseOtherTerms    = "signed for other job terms"  // the job now holding the id is not the one assigned (a reorg renumbered jobs)
	LapseCannotRun     = "executor cannot run the job" // its Preflight refused it (logged with the executor's reason)
)

func (r *Relayer) acceptAssignments(ctx context.Context) error {
	pending, err := r.matcher.Pending(ctx, r.cfg.Provider)
	if err != nil {
		return fmt.Errorf("fetch assignments: %w", err)
	}
	if len(pending) == 0 {
		return nil
	}
	busy, err := r.chain.ProviderJobs(ctx, r.cfg.Provider, gpumarket.JobStateAssigned)
	if err != nil {
		return fmt.Errorf("count assigned jobs: %w", err)
	}
	inFlight := len(busy)
	now, err := r.cfg.ChainTime(ctx) // once per round: one RPC, not one per offer
	if err != nil {
		return fmt.Errorf("read the chain's time: %w", err)
	}
	r.forgetLapsedRefusals(now)
	var errs []error
	for i := range pending {
		sa := &pending[i]
		job, reason, err := r.check(ctx, sa, inFlight, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if reason != "" {
			r.log.Info("assignment left to lapse", "job_id", sa.Assignment.JobID, "reason", reason)
			continue
		}
		key, active, err := r.nextKey(ctx, AcceptKey(&sa.Assignment))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if active { // accepting (or accepted, not yet indexed): it takes a slot
			inFlight++
			continue
		}
		if ok, err := r.preflight(ctx, job, sa, now); err != nil {
			errs = append(errs, err)
			continue
		} else if !ok {
			continue
		}
		data, err := r.calls.AcceptJob(&job.Job, &sa.Assignment, sa.Signature)
		if err != nil {
			errs = append(errs, fmt.Errorf("build accept of job %d: %w", job.ID, err))
			continue
		}
		if _, err := r.sender.Submit(ctx, key, r.cfg.Market, data, nil); err != nil {
			errs = append(errs, fmt.Errorf("accept job %d: %w", job.ID, err))
			continue
		}
		inFlight++
		r.log.Info("accepting job", "job_id", job.ID, "price", sa.Assignment.Price)
	}
	return errors.Join(errs...)
}

// AcceptKey is the idempotency key of accepting assignment a:
// accept-<job>-<expiry>. Each signed assignment is accepted at most once; a
// later assignment of the same job (after the first lapsed) gets a new key,
// and the contract accepts a job only once whatever the keys.
func AcceptKey(a *gpumarket.Assignment) string {
	return fmt.Sprintf("accept-%s-%d", a.JobID, a.Expiry)
}

// SubmitKey is the idempotency key of submitting job id's result.
func SubmitKey(id gpumarket.JobID) string { return "submit-" + id.String() }

// SettleKey is the idempotency key of settling job id.
func SettleKey(id gpumarket.JobID) string { return "settle-" + id.String() }

// WithdrawKey is the idempotency key of the n-th withdrawal of token.
func WithdrawKey(token gpumarket.Address, n int) string {
	return fmt.Sprintf("withdraw-%s-%d", token, n)
}

// MaxRetries is how many times an action whose transaction ended without
// effect (skipped by simulation, its nonce filled, reverted) is tried again
// under a new key while the chain still shows it to do.
const MaxRetries = 5

// nextKey returns the key to send action base under: base itself, or
// base-2, base-3, … after earlier attempts that ended without effect.
// active is true when an attempt is in flight or confirmed: nothing is to be
// sent. An attempt that ended without effect never moved the chain, so
// sending the action again under a new key cannot make it happen twice.
func (r *Relayer) nextKey(ctx context.Context, base string) (key string, active bool, err error) {
	for i := 1; i <= MaxRetries; i++ {
		key = base
		if i > 1 {
			key = fmt.Sprintf("%s-%d", base, i)
		}
		in, err := r.sender.Intent(ctx, key)
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			return key, false, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("look up %s: %w", key, err)
		}
		if !in.State.Final() || in.State == gpumarket.TxConfirmed {
			return key, true, nil
		}
		if r.cfg.Now().Sub(in.FinishedAt) < r.cfg.RetryAfter {
			return key, true, nil // ended without effect just now: wait before trying again
		}
	}
	return "", false, gpumarket.Errorf(gpumarket.ECONFLICT, "%s: %d attempts ended without effect; giving up (see the journal's reasons)", base, MaxRetries)
}

// check returns the job and "" when the assignment should be accepted, or a
// lapse reason; an error only for failures to find out.
func (r *Relayer) check(ctx context.Context, sa *SignedAssignment, inFlight int, now time.Time) (*gpumarket.JobRecord, string, error) {
	a := &sa.Assignment
	if a.Provider != r.cfg.Provider {
		return nil, LapseOtherProvider, nil
	}
	signer, err := r.verifier.AssignmentSigner(a, sa.Signature)
	if err != nil {
		return nil, LapseBadSignature, nil
	}
	ok, err := r.chain.IsMatcher(ctx, signer)
	if err != nil {
		return nil, "", fmt.Errorf("check matcher role of %s: %w", signer, err)
	}
	if !ok {
		return nil, LapseNotMatcher, nil
	}
	if time.Unix(a.Expiry, 0).Before(now.Add(r.cfg.AcceptMargin)) {
		return nil, LapseExpiring, nil
	}
	job, err := r.chain.Job(ctx, a.JobID)
	if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
		return nil, LapseNotOpen, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read job %d: %w", a.JobID, err)
	}
	if job.State != gpumarket.JobStateOpen {
		return nil, LapseNotOpen, nil
	}
	if h, err := r.verifier.AssignmentJobHash(&job.Job); err != nil {
		return nil, "", fmt.Errorf("hash job %d: %w", a.JobID, err)
	} else if h != a.JobHash {
		return nil, LapseOtherTerms, nil
	}
	switch {
	case a.Price == nil || job.MaxPayment == nil || a.Price.Cmp(job.MaxPayment) > 0:
		return nil, LapsePrice, nil
	case time.Unix(int64(job.Deadline), 0).Before(now.Add(r.cfg.MinRunTime)):
		return nil, LapseDeadline, nil
	case !r.cfg.CanServe(job.Kind):
		return nil, LapseCannotServe, nil
	case inFlight >= r.cfg.Capacity:
		return nil, LapseCapacity, nil
	}
	return job, "", nil
}

// runAssigned starts every assigned job that is not running yet and whose
// next attempt is due (see nextAttempt).
func (r *Relayer) runAssigned(ctx context.Context) error {
	jobs, err := r.chain.ProviderJobs(ctx, r.cfg.Provider, gpumarket.JobStateAssigned)
	if err != nil {
		return fmt.Errorf("list assigned jobs: %w", err)
	}
	if len(jobs) == 0 {
		return nil
	}
	chainNow, err := r.cfg.ChainTime(ctx)
	if err != nil {
		return fmt.Errorf("read the chain's time: %w", err)
	}
	var errs []error
	for _, job := range jobs {
		r.mu.Lock()
		busy := r.running[job.ID] || len(r.running) >= r.cfg.Capacity
		r.mu.Unlock()
		if busy {
			continue
		}
		key, rec, due, err := r.nextAttempt(ctx, job, chainNow)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !due {
			continue
		}
		if err := r.startAttempt(ctx, &rec); err != nil {
			errs = append(errs, err)
			continue
		}
		r.mu.Lock()
		r.running[job.ID] = true
		r.mu.Unlock()
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer func() {
				r.mu.Lock()
				delete(r.running, job.ID)
				r.mu.Unlock()
			}()
			err := r.runOne(ctx, job, key)
			if err == nil || ctx.Err() != nil {
				return // a run cut short by shutdown is retried at the next start, counted
			}
			if err := r.failAttempt(ctx, &rec, job, err); err != nil {
				r.log.Error("job failed", "job_id", job.ID, "err", err)
			}
		}()
	}
	return errors.Join(errs...)
}

// runOne runs job and submits its result under key.
func (r *Relayer) runOne(ctx context.Context, job *gpumarket.JobRecord, key string) error {
	spec, err := r.specs.Spec(ctx, job.SpecHash)
	if err != nil {
		return fmt.Errorf("fetch spec %s: %w", job.SpecHash, err)
	}
	res, err := r.exec.Run(ctx, executor.Job{ID: job.ID, Kind: job.Kind, Spec: spec, Deadline: time.Unix(int64(job.Deadline), 0)})
	if gpumarket.ErrorCode(err) == gpumarket.EINVALID {
		return refusal{fmt.Errorf("run job %d: %w", job.ID, err)}
	}
	if err != nil {
		return fmt.Errorf("run job %d: %w", job.ID, err)
	}
	defer func() { _ = res.Release() }()
	out, err := res.Open()
	if err != nil {
		return fmt.Errorf("open result of job %d: %w", job.ID, err)
	}
	hash, size, err := r.results.Put(ctx, out)
	out.Close()
	if err != nil {
		return fmt.Errorf("store result of job %d: %w", job.ID, err)
	}
	if err := r.owners.SetOwner(ctx, hash, job.ID, job.Client, size); err != nil {
		return fmt.Errorf("record client of job %d's result: %w", job.ID, err)
	}
	due := r.cfg.Price(job, res.Usage)
	if due.Cmp(job.Price) > 0 {
		due = new(big.Int).Set(job.Price)
	}
	uri := fmt.Sprintf("%s/v1/results/%s", r.cfg.ResultBaseURL, hash)
	data, err := r.calls.SubmitResult(&job.Job, hash, uri, res.Usage, due)
	if err != nil {
		return fmt.Errorf("build submit of job %d: %w", job.ID, err)
	}
	if _, err := r.sender.Submit(ctx, key, r.cfg.Market, data, nil); err != nil {
		return fmt.Errorf("submit result of job %d: %w", job.ID, err)
	}
	r.log.Info("result submitted", "job_id", job.ID, "result_hash", hash, "amount_due", due)
	return nil
}

// settleSubmitted settles the provider's submitted jobs whose challenge
// window has ended (the client may have settled already: the transaction
// manager's simulation then skips it).
func (r *Relayer) settleSubmitted(ctx context.Context) error {
	jobs, err := r.chain.ProviderJobs(ctx, r.cfg.Provider, gpumarket.JobStateSubmitted)
	if err != nil {
		return fmt.Errorf("list submitted jobs: %w", err)
	}
	chainNow, err := r.cfg.ChainTime(ctx)
	if err != nil {
		return fmt.Errorf("read the chain's time: %w", err)
	}
	now := chainNow.Unix()
	var errs []error
	for _, job := range jobs {
		// The next block's timestamp is above the latest one's.
		if int64(job.ChallengeEnd) > now {
			continue
		}
		key, active, err := r.nextKey(ctx, SettleKey(job.ID))
		if err != nil || active {
			errs = append(errs, err)
			continue
		}
		data, err := r.calls.Settle(&job.Job)
		if err != nil {
			errs = append(errs, fmt.Errorf("build settle of job %d: %w", job.ID, err))
			continue
		}
		if _, err := r.sender.Submit(ctx, key, r.cfg.Market, data, nil); err != nil {
			errs = append(errs, fmt.Errorf("settle job %d: %w", job.ID, err))
		}
	}
	return errors.Join(errs...)
}

// Withdraw withdraws the provider's balance of token through operator (the
// operator key's sender: the balance belongs to the provider address, not
// the hot signer) when it is at least threshold. n numbers the withdrawal
// (the count of earlier ones), making the key withdraw-<token>-<n> unique per
// withdrawal and stable across retries.
func (r *Relayer) Withdraw(ctx context.Context, operator Sender, token gpumarket.Address, owed, threshold *big.Int, n int) error {
	if owed == nil || owed.Sign() == 0 || owed.Cmp(threshold) < 0 {
		return nil
	}
	data, err := r.calls.Withdraw(token)
	if err != nil {
		return fmt.Errorf("build withdraw of %s: %w", token, err)
	}
	if _, err := operator.Submit(ctx, WithdrawKey(token, n), r.cfg.Market, data, nil); err != nil {
		return fmt.Errorf("withdraw %s: %w", token, err)
	}
	return nil
}
