package executor

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gpumarket/gpumarket"
)

// PreflightConfig sets what the Preflight of a [Command] or [HTTP] executor
// accepts: the kinds and models the program or server serves and the limits
// on a job's inputs. The zero value serves every kind and model, with the
// defaults named on each field.
type PreflightConfig struct {
	// Models lists, per kind, the models served. nil: every kind and model;
	// a kind left out is not served; a kind with an empty list serves every
	// model of that kind.
	Models map[gpumarket.JobKind][]string
	// MaxInputBytes bounds each input: a data: URI's decoded payload, the
	// size an input declares (size_bytes) and the size an http(s) server
	// reports for it. Default 1 GiB.
	MaxInputBytes int64
	// InputTimeout bounds the checks of all of a job's http(s) inputs
	// together. Default 10s.
	InputTimeout time.Duration
	// AllowPrivateInputs permits http(s) inputs on loopback, private,
	// link-local and other non-public addresses. Off, such an input is
	// refused without being contacted (checked on every resolved address),
	// so that a client cannot make the relayer probe the provider's own
	// network.
	AllowPrivateInputs bool
}

// Defaults of PreflightConfig.
const (
	DefaultMaxInputBytes = 1 << 30
	DefaultInputTimeout  = 10 * time.Second
	maxProbeHeaderBytes  = 16 << 10
	maxProbeRedirects    = 3
	maxNameInError       = 64
)

// ErrInputUnreachable: an http(s) input could not be reached, or its server
// answered with an error status (checked with errors.Is).
var ErrInputUnreachable = errors.New("job input unreachable")

// Preflight reports whether h can run job before the relayer accepts it. The
// spec must be a job spec (gpumarket.DecodeJobSpec: strict JSON, valid) of
// the job's kind, for a kind and model c's PreflightConfig serves, whose
// inputs are within MaxInputBytes: a data: input decodes (and matches its
// sha256 when one is given), an http(s) input answers a HEAD (or, where HEAD
// is not allowed, a one-byte ranged GET whose body is not read) with a
// success status and a size within the limit. An ipfs: input is checked
// only against its declared size. It returns an EINVALID *gpumarket.Error
// naming the problem, ErrInputUnreachable (wrapped) for an input out of
// reach, and ctx's error (wrapped) when ctx ends first. The inference server
// is not contacted.
func (h *HTTP) Preflight(ctx context.Context, job Job) error {
	return preflightJobSpec(ctx, job, h.cfg.MaxSpecBytes, h.cfg.Preflight)
}

func preflightJobSpec(ctx context.Context, job Job, maxSpec int, cfg PreflightConfig) error {
	if err := job.Check(maxSpec); err != nil {
		return err
	}
	spec, err := gpumarket.DecodeJobSpec(bytes.NewReader(job.Spec))
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec: %s", job.ID, gpumarket.ErrorMessage(err))
	}
	if spec.Kind != job.Kind {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is for %s, the job is %s", job.ID, spec.Kind, job.Kind)
	}
	if !cfg.serves(spec.Kind, spec.Model) {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: %s model %q is not served", job.ID, spec.Kind, shorten(spec.Model))
	}
	return checkInputs(ctx, job.ID, spec.Inputs, cfg)
}

// serves reports whether the configuration serves model for kind.
func (cfg PreflightConfig) serves(kind gpumarket.JobKind, model string) bool {
	if cfg.Models == nil {
		return true
	}
	models, ok := cfg.Models[kind]
	return ok && (len(models) == 0 || slices.Contains(models, model))
}

// checkInputs checks each input's size and reachability (see
// Command.Preflight).
func checkInputs(ctx context.Context, id gpumarket.JobID, inputs []gpumarket.JobInput, cfg PreflightConfig) error {
	limit := cmp.Or(cfg.MaxInputBytes, DefaultMaxInputBytes)
	parent := ctx
	var probe *http.Client
	for _, in := range inputs {
		name := shorten(in.Name)
		if in.SizeBytes > uint64(limit) {
			return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q declares %d bytes, limit %d", id, name, in.SizeBytes, limit)
		}
		scheme, _, _ := strings.Cut(in.URI, ":")
		switch strings.ToLower(scheme) {
		case "data":
			b, err := gpumarket.DecodeDataURI(in.URI, limit)
			if err != nil {
				return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: %s", id, name, gpumarket.ErrorMessage(err))
			}
			if in.SHA256 != "" {
				if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != in.SHA256 {
					return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q does not match its sha256", id, name)
				}
			}
		case "http", "https":
			if probe == nil {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, cmp.Or(cfg.InputTimeout, DefaultInputTimeout))
				defer cancel()
				probe = probeClient(cfg.AllowPrivateInputs)
				defer probe.CloseIdleConnections()
			}
			if err := probeInput(ctx, probe, in.URI, limit); err != nil {
				if parent.Err() != nil {
					return fmt.Errorf("job %d: preflight: %w", id, parent.Err())
				}
				return fmt.Errorf("job %d: input %q: %w", id, name, err)
			}
		}
	}
	return nil
}

// probeClient returns the client that checks http(s) inputs: no proxy, no
// compression (sizes are the bytes a fetch would get), at most
// maxProbeRedirects redirects to http(s), small headers, and unless private
// addresses are allowed every connection checked to go to a public address.
func probeClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.ControlContext = func(_ context.Context, _, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !publicAddr(ap.Addr().Unmap()) {
				return fmt.Errorf("connection to %s refused: not a public address", address)
			}
			return nil
		}
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy: nil, DialContext: dialer.DialContext, DisableCompression: true, DisableKeepAlives: true,
			MaxResponseHeaderBytes: maxProbeHeaderBytes, TLSHandshakeTimeout: 5 * time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxProbeRedirects {
				return fmt.Errorf("more than %d redirects", maxProbeRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to scheme %q", shorten(req.URL.Scheme))
			}
			return nil
		},
	}
}

// publicAddr reports whether a is a global unicast address outside the
// private, shared (100.64/10) and documentation ranges.
func publicAddr(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"), // documentation
}

// probeInput checks that uri answers with a success status and a size (when
// the server reports one) of at most limit bytes, without reading a body.
func probeInput(ctx context.Context, client *http.Client, uri string, limit int64) error {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return gpumarket.Errorf(gpumarket.EINVALID, "not a valid http(s) URL")
	}
	host := shorten(u.Host)
	resp, err := probeRequest(ctx, client, http.MethodHead, uri)
	if err == nil && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented) {
		resp, err = probeRequest(ctx, client, http.MethodGet, uri)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInputUnreachable, host, errorWithoutURL(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%w: %s answered %d %s", ErrInputUnreachable, host, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	size := resp.ContentLength
	if resp.StatusCode == http.StatusPartialContent {
		size = -1
		if _, total, ok := strings.Cut(resp.Header.Get("Content-Range"), "/"); ok {
			if n, err := strconv.ParseInt(total, 10, 64); err == nil {
				size = n
			}
		}
	}
	if size > limit {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s reports %d bytes, limit %d", host, size, limit)
	}
	return nil
}

// probeRequest sends one HEAD, or a GET for the first byte only, and closes
// the response body unread.
func probeRequest(ctx context.Context, client *http.Client, method, uri string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, uri, nil)
	if err != nil {
		return nil, err
	}
	if method == http.MethodGet {
		req.Header.Set("Range", "bytes=0-0")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close() // never read: a probe fetches no content
	return resp, nil
}

// errorWithoutURL returns err's cause without the URL *url.Error quotes (a
// client's URL may be long or carry secrets).
func errorWithoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// shorten returns s cut to maxNameInError bytes, for error messages that
// name a client's input without echoing all of it.
func shorten(s string) string {
	if len(s) <= maxNameInError {
		return s
	}
	return s[:maxNameInError] + "…"
}
