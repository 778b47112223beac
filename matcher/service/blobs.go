package service

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
)

// InputStore is the matcher's input store as its collector sees it
// (internal/blobstore.Store).
type InputStore interface {
	// SweepStaged deletes staged uploads last written before cutoff and
	// returns how many.
	SweepStaged(ctx context.Context, cutoff time.Time) (int64, error)
	// StoredBefore calls fn with the hashes of the blobs last written
	// before cutoff, at most batch at a time.
	StoredBefore(ctx context.Context, cutoff time.Time, batch int, fn func(ctx context.Context, hs []gpumarket.Hash) error) error
	// DeleteBefore deletes blob h if it was last written before cutoff
	// and reports whether it did.
	DeleteBefore(ctx context.Context, h gpumarket.Hash, cutoff time.Time) (bool, error)
}

// BlobRefs is what the store knows of input blobs (internal/postgres).
type BlobRefs interface {
	// ReferencedBlobs returns those of hs (SHA-256 of input blobs) that an
	// input of a valid spec of an on-chain job (a jobs row) names, by its
	// sha256 or by a URI ending in /v1/blobs/<hex>.
	ReferencedBlobs(ctx context.Context, hs []gpumarket.Hash) (map[gpumarket.Hash]bool, error)
	// ForgetBlobs deletes the upload records (blob_uploads) of hs.
	ForgetBlobs(ctx context.Context, hs []gpumarket.Hash) error
}

// BlobCollection is what one CollectBlobs did.
type BlobCollection struct {
	Staged  int64 // crashed uploads' staged bytes deleted
	Checked int64 // blobs past the grace looked up
	Deleted int64 // of those, unreferenced and deleted
}

// CollectBlobs collects Config.Inputs: it deletes staged uploads older
// than Config.BlobStagedGrace, then every blob last uploaded more than
// Config.BlobGCGrace ago that no on-chain job's spec references (and its
// upload record). A referenced blob is never deleted, whatever its age; a
// blob is referenced only through a valid spec of a job the indexer has
// mirrored, so a client uploads inputs, spec and job within the grace. It
// returns what it did, with an error if a step failed (what was done
// before stays done).
func (s *Service) CollectBlobs(ctx context.Context) (BlobCollection, error) {
	var c BlobCollection
	if s.cfg.Inputs == nil {
		return c, nil
	}
	now := s.now()
	var err error
	if c.Staged, err = s.cfg.Inputs.SweepStaged(ctx, now.Add(-s.cfg.BlobStagedGrace)); err != nil {
		return c, err
	}
	cutoff := now.Add(-s.cfg.BlobGCGrace)
	err = s.cfg.Inputs.StoredBefore(ctx, cutoff, s.cfg.BlobGCBatch, func(ctx context.Context, hs []gpumarket.Hash) error {
		c.Checked += int64(len(hs))
		refs, err := s.maint.ReferencedBlobs(ctx, hs)
		if err != nil {
			return err
		}
		var gone []gpumarket.Hash
		for _, h := range hs {
			if refs[h] {
				continue
			}
			deleted, err := s.cfg.Inputs.DeleteBefore(ctx, h, cutoff)
			if err != nil {
				return err
			}
			if deleted {
				gone = append(gone, h)
			}
		}
		c.Deleted += int64(len(gone))
		if len(gone) == 0 {
			return nil
		}
		if err := s.maint.ForgetBlobs(ctx, gone); err != nil {
			return fmt.Errorf("forget %d collected blobs: %w", len(gone), err)
		}
		return nil
	})
	if c.Staged > 0 || c.Deleted > 0 {
		s.log.Info("input store collected", "staged_deleted", c.Staged, "blobs_checked", c.Checked, "blobs_deleted", c.Deleted, "stored_before", cutoff)
	}
	return c, err
}
