package client

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	matcherclient "github.com/gpumarket/gpumarket/matcher/client"
)

// MatcherOrders is the OrderRelay of the matcher's gasless order API:
// POST /v1/orders, then GET /v1/orders/{client}/{nonce} every Poll until the
// order is mined or failed. The matcher relays each (client, nonce) once,
// so submitting the same signed order again only reads its status.
type MatcherOrders struct {
	Matcher *matcherclient.Client
	Poll    time.Duration // default 1s
}

var _ OrderRelay = (*MatcherOrders)(nil)

// SubmitOrder posts o and waits until the job it creates is mined, or ctx
// ends. A refused order keeps the matcher's code (EINVALID, ECONFLICT,
// EUNAUTHORIZED); an order whose transaction failed is an EINVALID error
// with the relay's reason.
func (m *MatcherOrders) SubmitOrder(ctx context.Context, o SignedOrder) (gpumarket.JobID, gpumarket.Hash, error) {
	req, err := orders.Request(&o.Order, o.Signature, o.Permit)
	if err != nil {
		return 0, gpumarket.Hash{}, err
	}
	st, err := m.Matcher.SubmitOrder(ctx, req)
	if err != nil {
		return 0, gpumarket.Hash{}, err
	}
	poll := m.Poll
	if poll <= 0 {
		poll = time.Second
	}
	for {
		switch st.State {
		case gpumarket.OrderMined:
			if st.JobID == nil || st.TxHash == nil {
				return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINTERNAL, "order %s: mined without a job id or transaction", st.OrderID)
			}
			id, err := gpumarket.ParseJobID(*st.JobID)
			if err != nil {
				return 0, gpumarket.Hash{}, fmt.Errorf("order %s: %w", st.OrderID, err)
			}
			return id, *st.TxHash, nil
		case gpumarket.OrderFailed:
			return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "order %s failed: %s", st.OrderID, st.Error)
		}
		select {
		case <-ctx.Done():
			return 0, gpumarket.Hash{}, fmt.Errorf("order %s: waiting to be mined: %w", st.OrderID, ctx.Err())
		case <-time.After(poll):
		}
		if st, err = m.Matcher.Order(ctx, req.Auth.Client, req.Auth.Nonce); err != nil {
			return 0, gpumarket.Hash{}, err
		}
	}
}
