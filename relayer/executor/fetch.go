package executor

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// FetchInput writes the content of job input in to w and returns its size:
// a data: URI decoded here, an http(s) URI downloaded with the client
// Preflight probes with (no proxy, no compression, at most 3 redirects,
// public addresses only unless cfg.AllowPrivateInputs; the matcher's blob
// store URLs, <matcher>/v1/blobs/<sha256>, are plain http(s)). At most
// limit bytes are accepted (cfg.MaxInputBytes when limit is 0), and the
// size and sha256 the input declares must match what arrived. w may have
// received bytes when it fails. It returns an EINVALID *gpumarket.Error for
// an input over the limit, of another size or digest than declared, or of
// an unsupported scheme (ipfs:), ErrInputUnreachable (wrapped) when the
// server cannot be reached or answers with an error status, and ctx's error
// (wrapped) when ctx ends first. No error quotes the URI.
func FetchInput(ctx context.Context, in gpumarket.JobInput, w io.Writer, limit int64, cfg PreflightConfig) (int64, error) {
	limit = cmp.Or(limit, cfg.MaxInputBytes, DefaultMaxInputBytes)
	name := shorten(in.Name)
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "input %q: %s", name, fmt.Sprintf(format, args...))
	}
	if in.SizeBytes > uint64(limit) {
		return 0, invalid("declares %d bytes, limit %d", in.SizeBytes, limit)
	}
	sum := sha256.New()
	var n int64
	scheme, _, _ := strings.Cut(in.URI, ":")
	switch strings.ToLower(scheme) {
	case "data":
		b, err := gpumarket.DecodeDataURI(in.URI, limit)
		if err != nil {
			return 0, invalid("%s", gpumarket.ErrorMessage(err))
		}
		sum.Write(b)
		if _, err := w.Write(b); err != nil {
			return 0, fmt.Errorf("input %q: write: %w", name, err)
		}
		n = int64(len(b))
	case "http", "https":
		var err error
		if n, err = download(ctx, in.URI, io.MultiWriter(w, sum), limit, cfg.AllowPrivateInputs); err != nil {
			if ctx.Err() != nil {
				return 0, fmt.Errorf("input %q: fetch: %w", name, context.Cause(ctx))
			}
			return 0, fmt.Errorf("input %q: %w", name, err)
		}
	default:
		return 0, invalid("scheme %q is not fetched here (data, http and https are)", shorten(scheme))
	}
	if in.SizeBytes != 0 && uint64(n) != in.SizeBytes {
		return 0, invalid("%d bytes, the spec declares %d", n, in.SizeBytes)
	}
	if in.SHA256 != "" && hex.EncodeToString(sum.Sum(nil)) != in.SHA256 {
		return 0, invalid("sha256 does not match the spec's")
	}
	return n, nil
}

// download copies the body of a GET of uri to w, at most limit bytes.
func download(ctx context.Context, uri string, w io.Writer, limit int64, allowPrivate bool) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil || req.URL.Host == "" {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "not a valid http(s) URL")
	}
	client := probeClient(allowPrivate)
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrInputUnreachable, shorten(req.URL.Host), errorWithoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%w: %s answered %d %s", ErrInputUnreachable, shorten(req.URL.Host), resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if resp.ContentLength > limit {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "%s reports %d bytes, limit %d", shorten(req.URL.Host), resp.ContentLength, limit)
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return n, fmt.Errorf("%w: read from %s: %v", ErrInputUnreachable, shorten(req.URL.Host), err)
	}
	if n > limit {
		return n, gpumarket.Errorf(gpumarket.EINVALID, "over %d bytes", limit)
	}
	return n, nil
}

// CheckInputs runs Preflight's checks of a job's inputs (sizes within
// cfg.MaxInputBytes, data: URIs decode and match their sha256, http(s)
// inputs answer a HEAD within the size limit) for executors that decode the
// spec themselves. It returns the errors of [HTTP.Preflight].
func CheckInputs(ctx context.Context, id gpumarket.JobID, inputs []gpumarket.JobInput, cfg PreflightConfig) error {
	return checkInputs(ctx, id, inputs, cfg)
}
