package relayer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// JobAttempts is what the relayer remembers of an accepted job's runs: how
// many were started, why the last one failed, when the next may start, and
// whether the relayer gave the job up.
type JobAttempts struct {
	JobID gpumarket.JobID
	// JobHash is the job's hash as created (AssignmentVerifier.
	// AssignmentJobHash): a job that a reorg renumbered to the same id is
	// another job, with a record of its own.
	JobHash gpumarket.Hash
	// Attempts counts the runs started, the one in progress included: it
	// is recorded before the executor is called, so that a crash in the
	// middle of a run still counts it.
	Attempts  int
	LastError string    // why the last run failed, "" when none did
	NextAt    time.Time // the next run starts no earlier (local clock); zero: at once
	// AbandonedAt is when the relayer gave the job up (zero while it has
	// not), and Reason why; an abandoned job is never run again.
	AbandonedAt time.Time
	Reason      string
}

// Abandoned reports whether the relayer gave the job up.
func (a *JobAttempts) Abandoned() bool { return !a.AbandonedAt.IsZero() }

// Attempts persists each accepted job's JobAttempts, so that the bound on a
// job's runs and its abandonment hold across restarts
// (postgres.RelayerAttempts).
type Attempts interface {
	// JobAttempts returns the record of job id with hash, or a record with
	// no attempts when there is none.
	JobAttempts(ctx context.Context, id gpumarket.JobID, hash gpumarket.Hash) (JobAttempts, error)
	// SaveJobAttempts stores a, replacing the record of its job.
	SaveJobAttempts(ctx context.Context, a JobAttempts) error
}

// MemAttempts keeps job attempts in memory: for tests and for a relayer
// without a database (its bound then restarts with the process).
type MemAttempts struct {
	mu sync.Mutex
	m  map[attemptsKey]JobAttempts
}

type attemptsKey struct {
	id   gpumarket.JobID
	hash gpumarket.Hash
}

// JobAttempts implements Attempts.
func (m *MemAttempts) JobAttempts(_ context.Context, id gpumarket.JobID, hash gpumarket.Hash) (JobAttempts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.m[attemptsKey{id, hash}]; ok {
		return a, nil
	}
	return JobAttempts{JobID: id, JobHash: hash}, nil
}

// SaveJobAttempts implements Attempts.
func (m *MemAttempts) SaveJobAttempts(_ context.Context, a JobAttempts) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[attemptsKey]JobAttempts{}
	}
	m.m[attemptsKey{a.JobID, a.JobHash}] = a
	return nil
}

var _ Attempts = (*MemAttempts)(nil)

// Defaults of the bound on an accepted job's runs.
const (
	DefaultMaxAttempts       = 3
	DefaultAttemptBackoff    = 5 * time.Second
	DefaultMaxAttemptBackoff = 2 * time.Minute
)

// backoff returns the wait after the n-th failed run (n >= 1):
// AttemptBackoff doubled n-1 times, at most MaxAttemptBackoff.
func (r *Relayer) backoff(n int) time.Duration {
	d := r.cfg.AttemptBackoff
	for i := 1; i < n && d < r.cfg.MaxAttemptBackoff; i++ {
		d *= 2
	}
	return min(d, r.cfg.MaxAttemptBackoff)
}

// nextAttempt decides whether job may run now. It returns the key to
// submit its result under, the job's record, and true when a run is due;
// false when the result is already with the sender, the job waits for its
// backoff, was abandoned earlier, or is abandoned now (its attempts are
// spent, its submissions all ended without effect, or its deadline passed:
// no run ever starts at or past the deadline).
func (r *Relayer) nextAttempt(ctx context.Context, job *gpumarket.JobRecord, chainNow time.Time) (string, JobAttempts, bool, error) {
	hash, err := r.verifier.AssignmentJobHash(&job.Job)
	if err != nil {
		return "", JobAttempts{}, false, fmt.Errorf("hash job %d: %w", job.ID, err)
	}
	rec, err := r.attempts.JobAttempts(ctx, job.ID, hash)
	if err != nil {
		return "", rec, false, fmt.Errorf("read attempts of job %d: %w", job.ID, err)
	}
	rec.JobID, rec.JobHash = job.ID, hash
	if rec.Abandoned() {
		return "", rec, false, nil
	}
	// A result already handed to the sender (before a crash, or while the
	// indexer has not yet seen it mined) is not computed again.
	key, active, err := r.nextKey(ctx, SubmitKey(job.ID))
	if gpumarket.ErrorCode(err) == gpumarket.ECONFLICT {
		return "", rec, false, r.abandon(ctx, &rec, job, gpumarket.ErrorMessage(err))
	}
	if err != nil || active {
		return "", rec, false, err
	}
	switch {
	case rec.Attempts >= r.cfg.MaxAttempts:
		// failAttempt abandons a job whose last attempt failed: this one
		// was cut short by a stop of the relayer.
		reason := fmt.Sprintf("%d attempts started, the last cut short (the relayer stopped during it)", rec.Attempts)
		if rec.LastError != "" {
			reason += "; an earlier one failed: " + rec.LastError
		}
		return "", rec, false, r.abandon(ctx, &rec, job, reason)
	case !chainNow.Before(jobDeadline(job)):
		reason := "its deadline passed before a run could finish"
		if rec.LastError != "" {
			reason = fmt.Sprintf("%s (%d attempts; the last: %s)", reason, rec.Attempts, rec.LastError)
		}
		return "", rec, false, r.abandon(ctx, &rec, job, reason)
	case r.cfg.Now().Before(rec.NextAt):
		return "", rec, false, nil
	}
	return key, rec, true, nil
}

// startAttempt records that the next run of rec's job starts now.
func (r *Relayer) startAttempt(ctx context.Context, rec *JobAttempts) error {
	rec.Attempts++
	rec.NextAt = time.Time{}
	if err := r.attempts.SaveJobAttempts(ctx, *rec); err != nil {
		rec.Attempts--
		return fmt.Errorf("record attempt %d of job %d: %w", rec.Attempts+1, rec.JobID, err)
	}
	return nil
}

// failAttempt records the failure of rec's run: the job is retried after a
// backoff, or abandoned when the failure is the job's own (the executor
// refused it: EINVALID), the attempts are spent, or the next run would start
// at or after the deadline.
func (r *Relayer) failAttempt(ctx context.Context, rec *JobAttempts, job *gpumarket.JobRecord, runErr error) error {
	rec.LastError = truncate(runErr.Error(), 500)
	wait := r.backoff(rec.Attempts)
	rec.NextAt = r.cfg.Now().Add(wait)
	var reason string
	switch {
	case errors.Is(runErr, errJobRefused):
		reason = "the executor refuses the job: " + rec.LastError
	case rec.Attempts >= r.cfg.MaxAttempts:
		reason = fmt.Sprintf("%d attempts failed; the last: %s", rec.Attempts, rec.LastError)
	default:
		if chainNow, err := r.cfg.ChainTime(ctx); err == nil && !chainNow.Add(wait).Before(jobDeadline(job)) {
			reason = fmt.Sprintf("the next attempt (after %v) would start past the deadline; %d attempts failed, the last: %s", wait, rec.Attempts, rec.LastError)
		}
	}
	if reason != "" {
		return r.abandon(ctx, rec, job, reason)
	}
	if err := r.attempts.SaveJobAttempts(ctx, *rec); err != nil {
		return fmt.Errorf("record failure of job %d: %w", job.ID, err)
	}
	r.log.Warn("job run failed; retrying after a backoff", "job_id", job.ID, "attempt", rec.Attempts, "max_attempts", r.cfg.MaxAttempts,
		"retry_in", wait, "err", rec.LastError)
	return nil
}

// abandon records that the relayer gives job up, and says once, in the
// log, why and what the job's client may do about it.
func (r *Relayer) abandon(ctx context.Context, rec *JobAttempts, job *gpumarket.JobRecord, reason string) error {
	rec.AbandonedAt, rec.Reason = r.cfg.Now(), reason
	if err := r.attempts.SaveJobAttempts(ctx, *rec); err != nil {
		rec.AbandonedAt, rec.Reason = time.Time{}, ""
		return fmt.Errorf("record abandonment of job %d: %w", job.ID, err)
	}
	r.log.Error("job abandoned: no result will be submitted", "job_id", job.ID, "attempts", rec.Attempts, "reason", reason,
		"deadline", jobDeadline(job).UTC().Format(time.RFC3339),
		"client_may", ClientRecourse(job))
	return nil
}

// ClientRecourse says what the client of a job the relayer abandoned may
// do: once the deadline has passed, anyone may call the marketplace's
// refund(jobId, job), which returns the client's whole payment and slashes
// the provider's reservation for the job.
func ClientRecourse(job *gpumarket.JobRecord) string {
	return fmt.Sprintf("after the deadline (%s) the client, or anyone, may call refund(%d, job) on the marketplace: it returns the client's whole payment (%s base units of token %s) and slashes the provider's reservation for the job",
		jobDeadline(job).UTC().Format(time.RFC3339), job.ID, job.MaxPayment, job.Token)
}

func jobDeadline(job *gpumarket.JobRecord) time.Time { return time.Unix(int64(job.Deadline), 0) }

// errJobRefused marks a run the executor refused as invalid (an EINVALID
// error): the job's own fault, not worth another attempt.
var errJobRefused = errors.New("executor refused the job")

// refusal is a run's error the executor returned as EINVALID; it is
// errJobRefused.
type refusal struct{ error }

func (e refusal) Is(target error) bool { return target == errJobRefused }
func (e refusal) Unwrap() error        { return e.error }

// preflight asks the executor whether it can run job before sa is accepted.
// It returns true when it can; false when it cannot or refused the offer
// earlier, logging the executor's reason once per offer; an error only for
// a failure to find out (the spec could not be fetched for now).
func (r *Relayer) preflight(ctx context.Context, job *gpumarket.JobRecord, sa *SignedAssignment, chainNow time.Time) (bool, error) {
	key := AcceptKey(&sa.Assignment)
	r.mu.Lock()
	_, seen := r.refused[key]
	r.mu.Unlock()
	if seen {
		return false, nil
	}
	expiry := time.Unix(sa.Assignment.Expiry, 0)
	spec, err := r.specs.Spec(ctx, job.SpecHash)
	var cannot error
	switch code := gpumarket.ErrorCode(err); {
	case code == gpumarket.ENOTFOUND || code == gpumarket.EINVALID:
		cannot = fmt.Errorf("fetch spec %s: %w", job.SpecHash, err)
	case err != nil:
		return false, fmt.Errorf("fetch spec %s of job %d: %w", job.SpecHash, job.ID, err)
	default:
		// Bounded by the time left to accept the offer.
		pctx, cancel := context.WithTimeout(ctx, expiry.Sub(chainNow)-r.cfg.AcceptMargin)
		cannot = r.exec.Preflight(pctx, executor.Job{ID: job.ID, Kind: job.Kind, Spec: spec, Deadline: jobDeadline(job)})
		cancel()
		if cannot != nil && ctx.Err() != nil {
			return false, ctx.Err()
		}
	}
	if cannot == nil {
		return true, nil
	}
	r.mu.Lock()
	r.refused[key] = expiry
	r.mu.Unlock()
	r.log.Warn("assignment left to lapse", "job_id", job.ID, "reason", LapseCannotRun, "err", truncate(cannot.Error(), 500),
		"offer_expiry", expiry.UTC().Format(time.RFC3339))
	return false, nil
}

// forgetLapsedRefusals drops the refusals of offers expired by now.
func (r *Relayer) forgetLapsedRefusals(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, expiry := range r.refused {
		if expiry.Before(now) {
			delete(r.refused, key)
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
