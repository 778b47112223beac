package blobstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/blobstore"
)

// stores opens a file store in a temporary directory and an S3 store on an
// in-process S3-compatible server (github.com/johannesboyne/gofakes3).
func stores(t *testing.T) map[string]*blobstore.Store {
	t.Helper()
	ctx := context.Background()
	file, err := blobstore.Open(ctx, "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = file.Close() })
	return map[string]*blobstore.Store{"file": file, "s3": S3(t)}
}

// S3 returns a store on a fresh in-process S3 server with one bucket.
func S3(t testing.TB) *blobstore.Store {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("inputs"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	s, err := blobstore.Open(context.Background(), "s3://inputs?region=us-east-1&use_path_style=true&endpoint="+url.QueryEscape(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestStagePutOpen(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			body := bytes.Repeat([]byte("scene "), 10_000)
			want := gpumarket.Hash(sha256.Sum256(body))
			if _, _, err := s.Open(ctx, want); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
				t.Fatalf("Open before Put: %v, want ENOTFOUND", err)
			}
			st, err := s.Stage(ctx, bytes.NewReader(body), int64(len(body)), &want, "")
			if err != nil {
				t.Fatal(err)
			}
			if st.SHA256 != want || st.Size != int64(len(body)) || st.Exists {
				t.Fatalf("Stage = %x %d exists=%v, want %x %d new", st.SHA256, st.Size, st.Exists, want, len(body))
			}
			if _, err := s.Size(ctx, want); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
				t.Fatalf("Size of a staged, uncommitted blob: %v, want ENOTFOUND", err)
			}
			if err := st.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			r, n, err := s.Open(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			_ = r.Close()
			if n != int64(len(body)) || !bytes.Equal(got, body) {
				t.Fatalf("Open = %d bytes (size %d), want the %d stored", len(got), n, len(body))
			}
			again, err := s.Stage(ctx, bytes.NewReader(body), int64(len(body)), nil, "")
			if err != nil {
				t.Fatal(err)
			}
			if !again.Exists {
				t.Fatal("staging stored bytes again: Exists = false, want true")
			}
			if err := again.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStageRefuses(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			body := []byte("0123456789")
			h := gpumarket.Hash(sha256.Sum256(body))
			if _, err := s.Stage(ctx, bytes.NewReader(body), 9, nil, ""); !errors.Is(err, blobstore.ErrTooLarge) {
				t.Fatalf("Stage over the limit: %v, want ErrTooLarge", err)
			}
			wrong := gpumarket.Hash{1}
			_, err := s.Stage(ctx, bytes.NewReader(body), 10, &wrong, "")
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "declared sha256") {
				t.Fatalf("Stage with a wrong hash: %v, want EINVALID naming the declared sha256", err)
			}
			if _, err := s.Size(ctx, h); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
				t.Fatalf("after refusals: Size = %v, want ENOTFOUND (nothing stored)", err)
			}
		})
	}
}

func TestOpenRefusesURLs(t *testing.T) {
	for _, u := range []string{"http://example.com/x", "file://relative", "s3://", "gs://b", "::"} {
		if _, err := blobstore.Open(context.Background(), u); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
			t.Errorf("Open(%q) = %v, want EINVALID", u, err)
		}
	}
}

// TestCollect: a crashed upload's staged bytes are swept once older than
// the cutoff (a younger one is kept); StoredBefore lists only blobs written
// before its cutoff; DeleteBefore deletes a blob written before its
// cutoff and keeps one uploaded again since.
func TestCollect(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			put := func(body []byte) gpumarket.Hash {
				t.Helper()
				st, err := s.Stage(ctx, bytes.NewReader(body), 1<<20, nil, "")
				if err != nil {
					t.Fatal(err)
				}
				if err := st.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				return st.SHA256
			}
			old, kept := put([]byte("old input")), put([]byte("re-uploaded input"))
			crashed, err := s.Stage(ctx, strings.NewReader("a crashed upload"), 1<<20, nil, "") // neither committed nor discarded
			if err != nil {
				t.Fatal(err)
			}
			// Modification times have a resolution of a second on some stores.
			time.Sleep(1100 * time.Millisecond)
			cutoff := time.Now()
			time.Sleep(1100 * time.Millisecond)
			young, err := s.Stage(ctx, strings.NewReader("an upload in progress"), 1<<20, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			defer young.Discard(ctx)
			put([]byte("re-uploaded input")) // after the cutoff: its grace starts again
			fresh := put([]byte("a new input"))

			if n, err := s.SweepStaged(ctx, cutoff); err != nil || n != 1 {
				t.Fatalf("SweepStaged = %d, %v; want 1 (the crashed upload), nil", n, err)
			}
			if n, err := s.SweepStaged(ctx, cutoff); err != nil || n != 0 {
				t.Fatalf("SweepStaged again = %d, %v; want 0", n, err)
			}
			crashed.Discard(ctx) // already swept: a no-op

			var listed []gpumarket.Hash
			if err := s.StoredBefore(ctx, cutoff, 1, func(_ context.Context, hs []gpumarket.Hash) error {
				if len(hs) > 1 {
					t.Errorf("StoredBefore batch of %d, want at most 1", len(hs))
				}
				listed = append(listed, hs...)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(listed) != 1 || listed[0] != old {
				t.Fatalf("StoredBefore(cutoff) = %x, want only the old blob %x", listed, old)
			}
			for _, tt := range []struct {
				h    gpumarket.Hash
				want bool
			}{{old, true}, {old, false}, {kept, false}, {fresh, false}} {
				if got, err := s.DeleteBefore(ctx, tt.h, cutoff); err != nil || got != tt.want {
					t.Errorf("DeleteBefore(%x) = %v, %v; want %v", tt.h[:4], got, err, tt.want)
				}
			}
			for h, want := range map[gpumarket.Hash]string{old: gpumarket.ENOTFOUND, kept: "", fresh: ""} {
				if _, err := s.Size(ctx, h); gpumarket.ErrorCode(err) != want {
					t.Errorf("Size(%x) after collection: %v, want code %q", h[:4], err, want)
				}
			}
			// The upload in progress was not swept: it commits.
			if err := young.Commit(ctx); err != nil {
				t.Fatalf("Commit of the young upload after the sweep: %v", err)
			}
		})
	}
}
