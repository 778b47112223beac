package client

import (
	"context"
	"io"

	"github.com/gpumarket/gpumarket"
)

// BlobStore stores a job's input files where providers can fetch them by
// hash: the matcher's POST /v1/blobs (matcher/client's PutBlob satisfies it
// through a one-line adapter). Put stores size bytes read from r, which
// must hash (sha256, 64 lower-case hex digits) to sha256Hex, and returns
// where they are served.
type BlobStore interface {
	Put(ctx context.Context, r io.Reader, size int64, sha256Hex string) (BlobRef, error)
}

// BlobRef is a stored input: a spec references it as gpumarket.JobInput{URI,
// SHA256, SizeBytes}.
type BlobRef struct {
	SHA256    string
	SizeBytes int64
	URI       string
}

// Notifier wakes a watcher when job id may have changed: the matcher's
// event stream (GET /v1/jobs/{chainId}/{jobId}/events). The channel gets a
// value per event (its content is not trusted: the watcher re-reads the job)
// and is closed when the stream ends; Watch then keeps polling. An error
// means no stream now (Watch polls).
type Notifier interface {
	Notify(ctx context.Context, chainID uint64, id gpumarket.JobID) (<-chan struct{}, error)
}
