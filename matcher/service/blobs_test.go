package service_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/blobstore"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// inputStores opens an input store on disk and one on an in-process
// S3-compatible server (github.com/johannesboyne/gofakes3).
func inputStores(t *testing.T) map[string]*blobstore.Store {
	t.Helper()
	file, err := blobstore.Open(context.Background(), "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = file.Close() })
	backend := s3mem.New()
	if err := backend.CreateBucket("inputs"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	s3, err := blobstore.Open(context.Background(), "s3://inputs?region=us-east-1&use_path_style=true&endpoint="+url.QueryEscape(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s3.Close() })
	return map[string]*blobstore.Store{"file": file, "s3": s3}
}

// TestCollectBlobs: the input store's collection keeps every blob an
// on-chain job's spec references (by sha256 or by URI), whatever its age,
// and after the grace deletes the others (with their upload records),
// including one named only by a spec no job uses and one named by an
// invalid spec; a crashed upload's staged bytes go after their own grace.
func TestCollectBlobs(t *testing.T) {
	for name, store := range inputStores(t) {
		t.Run(name, func(t *testing.T) {
			e := matchertest.New(t)
			e.Clock.Add(time.Since(e.Clock.Now()) + time.Second) // the store's clock is the real one
			s := e.NewService("gc", func(c *service.Config) {
				c.Inputs, c.BlobGCGrace, c.BlobStagedGrace, c.BlobGCBatch = store, time.Hour, 10*time.Minute, 2
			})
			ctx := e.Ctx
			put := func(body string) gpumarket.Hash {
				t.Helper()
				h, _, _, err := store.Put(ctx, strings.NewReader(body), 1<<20, nil, func(gpumarket.Hash, int64) error { return nil })
				if err != nil {
					t.Fatal(err)
				}
				e.Exec(`INSERT INTO blob_uploads (sha256, size_bytes, uploader, uploaded_at) VALUES ($1, $2, 'test', now())`, h[:], len(body))
				return h
			}
			bySHA, byURI := put("scene, referenced by sha256"), put("audio, referenced by URI")
			orphan, unused, invalid := put("an orphan"), put("named by a spec no job uses"), put("named by an invalid spec")
			if _, err := store.Stage(ctx, strings.NewReader("a crashed upload"), 1<<20, nil, ""); err != nil { // never committed
				t.Fatal(err)
			}
			spec := func(model string, inputs ...string) gpumarket.Hash {
				t.Helper()
				body := fmt.Sprintf(`{"kind":"llm","model":%q,"inputs":[{"name":"prompt","uri":"data:,hello"}%s],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":1,"output_tokens":0}}}`,
					model, strings.Join(inputs, ""))
				return e.UploadSpec([]byte(body))
			}
			ref := func(h gpumarket.Hash, withSHA bool) string {
				x := hex.EncodeToString(h[:])
				if withSHA {
					return fmt.Sprintf(`,{"name":"in-%s","uri":"https://other-matcher.example/x/%s","sha256":%q}`, x[:8], x, x)
				}
				return fmt.Sprintf(`,{"name":"in-%s","uri":"https://matcher.example/v1/blobs/%s"}`, x[:8], x)
			}
			used := spec("used", ref(bySHA, true), ref(byURI, false))
			e.AddJob(1, used, "ipfs://x", "1000000", nil)
			spec("unused", ref(unused, true)) // uploaded, never created on-chain
			// An invalid spec (fetched from a job's URI: uploads refuse
			// them), not even JSON, naming a blob.
			invalidBody := []byte(`not json; https://m/v1/blobs/` + hex.EncodeToString(invalid[:]))
			invalidSpec := keys.Keccak256(invalidBody)
			e.Exec(`INSERT INTO job_specs (spec_hash, body, size_bytes, source, source_uri, valid, rejection_reason) VALUES ($1, $2, $3, 'http', 'https://m/s', false, 'not JSON')`,
				invalidSpec[:], invalidBody, len(invalidBody))
			e.AddJob(2, invalidSpec, "https://m/s", "1000000", nil)

			// Inside both graces nothing goes.
			if c, err := s.CollectBlobs(ctx); err != nil || c.Staged != 0 || c.Deleted != 0 {
				t.Fatalf("CollectBlobs at once = %+v, %v; want nothing deleted", c, err)
			}
			// Past the staged grace only the crashed upload goes.
			e.Clock.Add(15 * time.Minute)
			if c, err := s.CollectBlobs(ctx); err != nil || c.Staged != 1 || c.Deleted != 0 {
				t.Fatalf("CollectBlobs after 15m = %+v, %v; want the staged upload only", c, err)
			}
			// Past the grace the unreferenced blobs go.
			e.Clock.Add(time.Hour)
			c, err := s.CollectBlobs(ctx)
			if err != nil || c.Checked != 5 || c.Deleted != 3 {
				t.Fatalf("CollectBlobs after 75m = %+v, %v; want 5 checked, 3 deleted", c, err)
			}
			for h, want := range map[gpumarket.Hash]bool{bySHA: true, byURI: true, orphan: false, unused: false, invalid: false} {
				_, err := store.Size(ctx, h)
				if kept := err == nil; kept != want {
					t.Errorf("blob %x kept = %v (%v), want %v", h[:4], kept, err, want)
				}
				if rows := e.Count(`SELECT count(*) FROM blob_uploads WHERE sha256 = $1`, h[:]); (rows == 1) != want {
					t.Errorf("blob %x upload rows = %d, want kept %v", h[:4], rows, want)
				}
			}
			// A year on, referenced blobs are still there.
			e.Clock.Add(365 * 24 * time.Hour)
			if c, err := s.CollectBlobs(ctx); err != nil || c.Deleted != 0 || c.Checked != 2 {
				t.Fatalf("CollectBlobs a year later = %+v, %v; want 2 checked, none deleted", c, err)
			}
			for _, h := range []gpumarket.Hash{bySHA, byURI} {
				if _, err := store.Size(ctx, h); err != nil {
					t.Errorf("referenced blob %x a year later: %v", h[:4], err)
				}
			}
		})
	}
}
