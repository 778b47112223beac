package client

import (
	"context"
	"io"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// Sender sends the client's transactions and waits until each is mined:
// *market.Wallet (the default: signs with Config.Key), or a journaled
// transaction manager (the demo's, a daemon's). A call that would revert
// must be refused before it is sent.
type Sender interface {
	Send(ctx context.Context, c market.Call) (*market.Receipt, error)
}

var _ Sender = (*market.Wallet)(nil)

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

// OrderRelay submits a client-signed order so that someone else pays the
// gas: the matcher's POST /v1/orders (with GET /v1/orders/{client}/{nonce}
// until mined). SubmitOrder returns once the job is created, with its id
// and the transaction that created it; an order the relay refuses (it
// would revert) is an EINVALID or ECONFLICT error.
type OrderRelay interface {
	SubmitOrder(ctx context.Context, o SignedOrder) (gpumarket.JobID, gpumarket.Hash, error)
}

// SignedOrder is a JobOrder with the client's EIP-712 signature and, when
// the marketplace's allowance is short, the client's EIP-2612 permit.
type SignedOrder struct {
	Order     eip712.JobOrder
	Signature []byte
	Permit    *eip712.PermitSignature // nil: the allowance suffices
}
