package resultstore_test

import (
	"bytes"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

// TestStoreDemoResults runs a demo job of each kind and stores its result the
// way the relayer does: the hash it would commit is the keccak256 of exactly
// the bytes a client downloads.
func TestStoreDemoResults(t *testing.T) {
	store, err := resultstore.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	specs := map[gpumarket.JobKind]string{
		gpumarket.JobKindRender: `{"width":40,"height":30}`,
		gpumarket.JobKindTTS:    `{"text":"stored"}`,
		gpumarket.JobKindLLM:    `{"model":"demo-1","prompt":"store me"}`,
	}
	exec := synthetic.New(nil)
	for kind, spec := range specs {
		t.Run(kind.String(), func(t *testing.T) {
			res, err := exec.Run(t.Context(), executor.Job{ID: 1, Kind: kind, Spec: []byte(spec)})
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
			defer res.Release()
			r, err := res.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			h, n, err := store.Put(t.Context(), r)
			if err != nil {
				t.Fatalf("Put = %v", err)
			}
			if h != resultstore.Keccak256(res.Body) || n != int64(len(res.Body)) {
				t.Errorf("Put = %s, %d; want keccak256 of the %d result bytes", h, n, len(res.Body))
			}
			got, err := store.Get(t.Context(), h)
			if err != nil || !bytes.Equal(got, res.Body) {
				t.Errorf("Get(%s) = %v, want the result bytes", h, err)
			}
		})
	}
}
