package node

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
)

// Heads announces a node's new heads as they arrive, by a WebSocket
// subscription (eth_subscribe newHeads). It only wakes the indexer: what is
// indexed is still read and checked through Source, so a lying or lagging
// feed can delay the mirror but not corrupt it.
type Heads struct {
	url     string
	timeout time.Duration
}

// NewHeads returns a feed from the node's WebSocket endpoint url (ws:// or
// wss://). timeout bounds the dial and the subscribe call (0: 10s).
func NewHeads(url string, timeout time.Duration) *Heads {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Heads{url: url, timeout: timeout}
}

// Follow dials the node, subscribes to new heads, calls subscribed, then
// onHead with each announced head's number until ctx ends (nil) or the
// connection or the subscription fails. Its errors are EUNAVAILABLE errors naming the failed
// step (dial, subscribe, or the subscription ending); the caller polls
// meanwhile and may call Follow again.
func (h *Heads) Follow(ctx context.Context, subscribed func(), onHead func(number uint64)) error {
	dctx, cancel := context.WithTimeout(ctx, h.timeout)
	c, err := rpc.DialContext(dctx, h.url)
	cancel()
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "dial websocket for new heads: %v", err)
	}
	defer c.Close()
	ch := make(chan *types.Header, 64)
	sctx, cancel := context.WithTimeout(ctx, h.timeout)
	sub, err := ethclient.NewClient(c).SubscribeNewHead(sctx, ch)
	cancel()
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "eth_subscribe newHeads: %v", err)
	}
	defer sub.Unsubscribe()
	subscribed()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-sub.Err():
			if ctx.Err() != nil {
				return nil
			}
			return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "newHeads subscription ended: %v", err)
		case hd := <-ch:
			if hd != nil && hd.Number != nil && hd.Number.IsUint64() {
				onHead(hd.Number.Uint64())
			}
		}
	}
}

// WebSocketURL returns the WebSocket endpoint to subscribe on for an RPC
// URL: a ws:// or wss:// URL itself, and for http:// and https:// the same
// host, port, path and query with the ws/wss scheme (what anvil, geth
// --ws on the HTTP port, and many hosted nodes serve). It returns an
// EINVALID error for other schemes.
func WebSocketURL(rpcURL string) (string, error) {
	u, err := url.Parse(rpcURL)
	if err != nil {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "parse rpc url: %v", err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", gpumarket.Errorf(gpumarket.EINVALID, "rpc url scheme %q has no WebSocket form (want http, https, ws or wss)", u.Scheme)
	}
	if u.Host == "" {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "rpc url has no host")
	}
	return u.String(), nil
}

// String names the feed without its URL (which may carry an API key).
func (h *Heads) String() string {
	return fmt.Sprintf("newHeads over WebSocket (timeout %s)", h.timeout)
}
