package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	matcherclient "github.com/gpumarket/gpumarket/matcher/client"

	"github.com/gpumarket/gpumarket"
)

// MatcherBlobs is the BlobStore of the matcher's input store, as the wire
// contract of issue 14 defines it: POST /v1/blobs with the raw bytes and
// the X-Gpumarket-Sha256 header, answered with {"sha256", "size_bytes",
// "uri"}. A matcher without the endpoint answers 404 (ENOTFOUND).
type MatcherBlobs struct {
	BaseURL string       // the matcher, http(s)://host[:port]
	HTTP    *http.Client // nil: http.DefaultClient
}

var _ BlobStore = (*MatcherBlobs)(nil)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Put uploads size bytes from r, which hash to sha256Hex.
func (b *MatcherBlobs) Put(ctx context.Context, r io.Reader, size int64, sum string) (BlobRef, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(b.BaseURL, "/")+"/v1/blobs", r)
	if err != nil {
		return BlobRef{}, gpumarket.Errorf(gpumarket.EINVALID, "upload blob: %v", err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Gpumarket-Sha256", sum)
	var out struct {
		SHA256    string `json:"sha256"`
		SizeBytes int64  `json:"size_bytes"`
		URI       string `json:"uri"`
	}
	if err := doJSON(b.HTTP, req, &out); err != nil {
		return BlobRef{}, fmt.Errorf("upload blob: %w", err)
	}
	if !sha256Hex.MatchString(out.SHA256) || !strings.HasPrefix(out.URI, "http") {
		return BlobRef{}, gpumarket.Errorf(gpumarket.EINVALID, "upload blob: malformed answer (sha256 %.80q, uri %.80q)", out.SHA256, out.URI)
	}
	return BlobRef{SHA256: out.SHA256, SizeBytes: out.SizeBytes, URI: out.URI}, nil
}

// MatcherEvents is the Notifier of the matcher's event stream, as the wire
// contract of issue 14 defines it: GET /v1/jobs/{chainId}/{jobId}/events,
// text/event-stream. Every event (whatever its type) is one wake-up; the
// content is not trusted. A matcher without the endpoint answers 404, and
// Notify returns that error (the watcher polls).
type MatcherEvents struct {
	BaseURL string
	HTTP    *http.Client // nil: a client without a timeout (the stream is long-lived)
}

var _ Notifier = (*MatcherEvents)(nil)

// Notify opens the stream and returns its wake-ups; the channel is closed
// when the stream ends or ctx is done (the goroutine reading the stream
// ends with it).
func (e *MatcherEvents) Notify(ctx context.Context, chainID uint64, id gpumarket.JobID) (<-chan struct{}, error) {
	url := fmt.Sprintf("%s/v1/jobs/%d/%d/events", strings.TrimRight(e.BaseURL, "/"), chainID, id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "events: %v", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	hc := e.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "events: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		return nil, gpumarket.Errorf(matcherclient.ErrorCodeOf(resp.StatusCode), "events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ch := make(chan struct{}, 1)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		pending := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "" && pending: // an event ends at a blank line
				pending = false
				select {
				case ch <- struct{}{}:
				default: // a wake-up is already pending
				}
			case strings.HasPrefix(line, "data:") || strings.HasPrefix(line, "event:"):
				pending = true
			}
		}
	}()
	return ch, nil
}

// doJSON sends req and decodes a 2xx JSON answer into out.
func doJSON(hc *http.Client, req *http.Request, out any) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return req.Context().Err()
		}
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "matcher unreachable: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMatcherResponse+1))
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read matcher response: %v", err)
	}
	if resp.StatusCode/100 != 2 {
		return matcherclient.ResponseError(resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "malformed matcher response: %v", err)
	}
	return nil
}
