package service

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
)

// SpecQuota caps what one caller may upload through POST /v1/specs in any
// Window: at most MaxCount new specs and MaxBytes of them. Uploading a spec
// that is already stored is free.
type SpecQuota struct {
	Window   time.Duration
	MaxCount int
	MaxBytes int64
}

// DefaultSpecQuota returns the default upload quota: 100 specs and 8 MiB
// per caller per hour.
func DefaultSpecQuota() SpecQuota {
	return SpecQuota{Window: time.Hour, MaxCount: 100, MaxBytes: 8 << 20}
}

// Validate returns an EINVALID error naming the first unusable field.
func (q *SpecQuota) Validate() error {
	switch {
	case q.Window <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "spec_quota_window: %v is not positive", q.Window)
	case q.MaxCount < 1:
		return gpumarket.Errorf(gpumarket.EINVALID, "spec_quota_count: %d is below 1", q.MaxCount)
	case q.MaxBytes < 1:
		return gpumarket.Errorf(gpumarket.EINVALID, "spec_quota_bytes: %d is below 1", q.MaxBytes)
	}
	return nil
}

// SpecUpload is who uploads a spec, under which quota, and when.
type SpecUpload struct {
	Caller string // client IP address
	Quota  SpecQuota
	Now    time.Time
}

// SpecQuotaError is an upload refused by the caller's quota: Quota names
// it ("count" or "bytes"), Limit is its value per Window, and RetryAfter is
// when enough of the caller's uploads leave the window for this one to fit
// (zero when it never can: a spec larger than the byte quota).
type SpecQuotaError struct {
	Store      string // "" for specs, "blob" for POST /v1/blobs
	Quota      string
	Limit      int64
	Window     time.Duration
	RetryAfter time.Duration
}

// Error names the quota and its limit.
func (e *SpecQuotaError) Error() string {
	store := "spec"
	if e.Store != "" {
		store = e.Store
	}
	what := store + "s"
	if e.Quota == "bytes" {
		what = "bytes"
	}
	if e.RetryAfter == 0 {
		return fmt.Sprintf("%s upload quota: the %s exceeds %d %s per %v per caller", store, store, e.Limit, what, e.Window)
	}
	return fmt.Sprintf("%s upload quota exceeded: %d %s per %v per caller (retry in %v)", store, e.Limit, what, e.Window, e.RetryAfter.Round(time.Second))
}

// DefaultBlobQuota returns the default input upload quota (POST
// /v1/blobs): 200 blobs and 1 GiB per caller per hour.
func DefaultBlobQuota() SpecQuota {
	return SpecQuota{Window: time.Hour, MaxCount: 200, MaxBytes: 1 << 30}
}

// BlobUpload is an input blob to charge to its uploader's quota.
type BlobUpload struct {
	SHA256 gpumarket.Hash
	Size   int64
	Caller string // httpserve.ClientKey
	Quota  SpecQuota
	Now    time.Time
}

// SpecGC is the periodic deletion of specs that no on-chain job references.
type SpecGC interface {
	// DeleteUnreferencedSpecs deletes at most batch specs stored before
	// cutoff that no jobs row references (jobs.spec_hash) and returns how
	// many it deleted.
	DeleteUnreferencedSpecs(ctx context.Context, cutoff time.Time, batch int) (int64, error)
}

// CollectSpecs deletes, in batches of Config.SpecGCBatch, every spec
// stored more than Config.SpecGCGrace ago that no on-chain job references;
// referenced specs are kept forever. It returns how many it deleted.
func (s *Service) CollectSpecs(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-s.cfg.SpecGCGrace)
	var total int64
	for {
		n, err := s.maint.DeleteUnreferencedSpecs(ctx, cutoff, s.cfg.SpecGCBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < int64(s.cfg.SpecGCBatch) || ctx.Err() != nil {
			if total > 0 {
				s.log.Info("unreferenced specs deleted", "count", total, "stored_before", cutoff)
			}
			return total, nil
		}
	}
}
