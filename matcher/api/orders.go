package api

import (
	"context"
	"net/http"

	"github.com/gpumarket/gpumarket"
)

// OrderRelay submits client-signed job orders through the matcher
// operator's journaled transaction manager (internal/eth/orders.Relay
// implements it). Errors carry gpumarket codes: EINVALID (malformed,
// expired, the simulation reverts) 400, EUNAUTHORIZED (not the client's
// signature under this chain and marketplace) 401, ECONFLICT (nonce used,
// or recorded for another order) 409, ENOTFOUND 404.
type OrderRelay interface {
	// SubmitOrder checks, simulates and records the order for sending
	// exactly once; a second submission of the same order returns its
	// status and sends nothing.
	SubmitOrder(ctx context.Context, req *gpumarket.OrderRequest) (gpumarket.OrderStatus, error)
	// Order returns the status of an order SubmitOrder accepted.
	Order(ctx context.Context, client gpumarket.Address, nonce gpumarket.Amount) (gpumarket.OrderStatus, error)
}

// errNoRelay answers the order routes of a matcher run without an operator key.
var errNoRelay = &httpError{status: http.StatusNotImplemented, msg: "this matcher does not relay orders (it runs without an operator key)"}

// DecodeOrderRequest decodes and validates a POST /v1/orders body strictly.
// It returns an EINVALID error naming the problem.
func DecodeOrderRequest(b []byte) (*gpumarket.OrderRequest, error) {
	var req gpumarket.OrderRequest
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return &req, nil
}

func (s *Server) postOrder(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	if s.cfg.Orders == nil {
		return errNoRelay
	}
	b, err := readBody(w, r, gpumarket.MaxOrderRequestBytes)
	if err != nil {
		return err
	}
	req, err := DecodeOrderRequest(b)
	if err != nil {
		return err
	}
	st, err := s.cfg.Orders.SubmitOrder(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, st)
	return nil
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	if s.cfg.Orders == nil {
		return errNoRelay
	}
	client, err := gpumarket.ParseAddress(r.PathValue("client"))
	if err != nil {
		return err
	}
	var nonce gpumarket.Amount
	if err := nonce.UnmarshalText([]byte(r.PathValue("nonce"))); err != nil {
		return err
	}
	st, err := s.cfg.Orders.Order(r.Context(), client, nonce)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
