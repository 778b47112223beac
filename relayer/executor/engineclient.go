package executor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// LoopbackHost reports whether host, a URL's host name, is localhost or a
// loopback address.
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// NewEngineClient returns the HTTP client of a relayer's calls to a local
// engine server: no proxy, no redirect followed (a redirect comes back as
// its status), 10 s to dial and to shake hands, at most maxIdle idle
// connections and, unless allowNonLoopback, only connections to loopback
// addresses, checked on the resolved address of every connection so that
// a name that resolves elsewhere cannot lead a request off the host.
func NewEngineClient(allowNonLoopback bool, maxIdle int) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowNonLoopback {
		dialer.ControlContext = func(_ context.Context, _, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !ap.Addr().Unmap().IsLoopback() {
				return fmt.Errorf("connection to %s refused: not a loopback address", address)
			}
			return nil
		}
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			MaxIdleConns:          maxIdle,
			MaxIdleConnsPerHost:   maxIdle,
			IdleConnTimeout:       time.Minute,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
