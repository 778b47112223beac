package service

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
)

// SpecHash is the content address of a spec document: keccak256 of its
// bytes, what a job commits to on-chain.
func SpecHash(b []byte) gpumarket.Hash { return keys.Keccak256(b) }

// Fetcher resolves a job's spec URI: data: URIs inline, and http(s) URIs
// with a size limit, a time limit, at most 3 redirects, and no connection to
// loopback, private, link-local, multicast or unspecified addresses unless
// AllowPrivate (the check runs on the resolved address at connect time, so
// DNS tricks and redirects cannot get around it). A nil *Fetcher resolves
// data: URIs only.
type Fetcher struct {
	MaxBytes     int64         // default gpumarket.MaxJobSpecBytes
	Timeout      time.Duration // default 5s
	AllowPrivate bool
	client       *http.Client
}

// NewFetcher returns a fetcher with its HTTP client.
func NewFetcher(maxBytes int64, timeout time.Duration, allowPrivate bool) *Fetcher {
	if maxBytes <= 0 {
		maxBytes = gpumarket.MaxJobSpecBytes
	}
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	f := &Fetcher{MaxBytes: maxBytes, Timeout: timeout, AllowPrivate: allowPrivate}
	d := &net.Dialer{Timeout: timeout, Control: f.control}
	tr := &http.Transport{DialContext: d.DialContext, Proxy: nil, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second,
		TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout}
	f.client = &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return gpumarket.Errorf(gpumarket.EINVALID, "more than 3 redirects")
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return gpumarket.Errorf(gpumarket.EINVALID, "redirect to scheme %q", req.URL.Scheme)
		}
		return nil
	}}
	return f
}

// control refuses connections to non-public addresses.
func (f *Fetcher) control(_, address string, _ syscall.RawConn) error {
	if f.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "address %q: %v", address, err)
	}
	if !PublicAddr(ap.Addr()) {
		return gpumarket.Errorf(gpumarket.EINVALID, "refusing to connect to non-public address %s", ap.Addr())
	}
	return nil
}

// PublicAddr reports whether a is a globally routable unicast address.
func PublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsMulticast() || a.IsUnspecified() || a.IsInterfaceLocalMulticast() {
		return false
	}
	// Carrier-grade NAT 100.64/10 and the 0/8 "this network" block.
	if a.Is4() {
		b := a.As4()
		if b[0] == 0 || (b[0] == 100 && b[1]&0xc0 == 64) {
			return false
		}
	}
	return true
}

// Fetch returns the document at uri and its source ("data_uri" or "http").
// It returns an EINVALID error for an unsupported or malformed URI, an
// oversize document or a refused address, and an EUNAVAILABLE error when the
// server cannot be reached or answers with an error status.
func (f *Fetcher) Fetch(ctx context.Context, uri string) ([]byte, string, error) {
	limit := int64(gpumarket.MaxJobSpecBytes)
	if f != nil && f.MaxBytes > 0 {
		limit = f.MaxBytes
	}
	scheme, rest, _ := strings.Cut(uri, ":")
	switch strings.ToLower(scheme) {
	case "data":
		b, err := decodeDataURI(rest, limit)
		return b, "data_uri", err
	case "http", "https":
		if f == nil || f.client == nil {
			return nil, "", gpumarket.Errorf(gpumarket.EINVALID, "fetching http(s) specs is not enabled")
		}
	default:
		return nil, "", gpumarket.Errorf(gpumarket.EINVALID, "spec uri scheme %q is not data, http or https", scheme)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return nil, "", gpumarket.Errorf(gpumarket.EINVALID, "spec uri is not a valid URL")
	}
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", gpumarket.Errorf(gpumarket.EINVALID, "spec uri: %v", err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if code := gpumarket.ErrorCode(err); code == gpumarket.EINVALID {
			return nil, "", err
		}
		return nil, "", gpumarket.Errorf(gpumarket.EUNAVAILABLE, "fetch spec from %s: %v", u.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", gpumarket.Errorf(gpumarket.EUNAVAILABLE, "fetch spec from %s: status %d", u.Host, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read spec from %s: %v", u.Host, err)
	}
	if int64(len(b)) > limit {
		return nil, "", gpumarket.Errorf(gpumarket.EINVALID, "spec at %s is larger than %d bytes", u.Host, limit)
	}
	return b, "http", nil
}

// decodeDataURI decodes the part of a data: URI after "data:".
func decodeDataURI(rest string, limit int64) ([]byte, error) {
	return gpumarket.DecodeDataURI(rest, limit)
}
