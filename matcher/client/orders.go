package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gpumarket/gpumarket"
)

// SubmitOrder posts a client-signed job order (POST /v1/orders) for the
// matcher to send gaslessly, and returns its status (202: pending, with the
// transaction hash once signed). Posting the same order again returns its
// status and sends nothing. It returns the API's refusal with its code:
// EINVALID (malformed, expired, would revert: the message names the
// contract's error), EUNAUTHORIZED (signature not the client's under this
// chain and marketplace), ECONFLICT (nonce used or taken by another order),
// EUNAVAILABLE (the matcher relays no orders, or cannot be reached).
func (c *Client) SubmitOrder(ctx context.Context, req gpumarket.OrderRequest) (gpumarket.OrderStatus, error) {
	if err := req.Validate(); err != nil {
		return gpumarket.OrderStatus{}, fmt.Errorf("submit order: %w", err)
	}
	body, err := c.postJSON(ctx, c.chainPath("/orders"), req)
	if err != nil {
		return gpumarket.OrderStatus{}, fmt.Errorf("submit order %s: %w", req.OrderID(), err)
	}
	return decodeOrderStatus(body, req.OrderID())
}

// Order returns the status of an order SubmitOrder posted
// (GET /v1/orders/{client}/{nonce}): pending, mined (with the job id) or
// failed (with the reason). It returns ENOTFOUND when the matcher never
// accepted it.
func (c *Client) Order(ctx context.Context, client gpumarket.Address, nonce gpumarket.Amount) (gpumarket.OrderStatus, error) {
	id := gpumarket.OrderID(client, nonce)
	body, err := c.do(ctx, http.MethodGet, c.chainPath("/orders/"+client.String()+"/"+nonce.String()), nil)
	if err != nil {
		return gpumarket.OrderStatus{}, fmt.Errorf("order %s: %w", id, err)
	}
	return decodeOrderStatus(body, id)
}

func decodeOrderStatus(body []byte, id string) (gpumarket.OrderStatus, error) {
	var st gpumarket.OrderStatus
	if err := json.Unmarshal(body, &st); err != nil {
		return st, gpumarket.Errorf(gpumarket.EINVALID, "order %s: malformed response: %v", id, err)
	}
	switch {
	case st.OrderID != id:
		return st, gpumarket.Errorf(gpumarket.EINVALID, "order %s: the matcher answered for order %q", id, st.OrderID)
	case st.State != gpumarket.OrderPending && st.State != gpumarket.OrderMined && st.State != gpumarket.OrderFailed:
		return st, gpumarket.Errorf(gpumarket.EINVALID, "order %s: unknown state %q", id, st.State)
	case st.State == gpumarket.OrderMined && st.JobID == nil:
		return st, gpumarket.Errorf(gpumarket.EINVALID, "order %s: mined without a job id", id)
	}
	if st.JobID != nil {
		if _, err := gpumarket.ParseJobID(*st.JobID); err != nil {
			return st, gpumarket.Errorf(gpumarket.EINVALID, "order %s: job id: %v", id, gpumarket.ErrorMessage(err))
		}
	}
	return st, nil
}
