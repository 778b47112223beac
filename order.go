package gpumarket

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// OrderRequest is a client-signed job order as POST /v1/orders carries it:
// the job parameters and replay protection the client signed (the
// marketplace's EIP-712 JobOrder), the signature, and optionally an EIP-2612
// permit so that the client needs no prior approval. Anyone may submit it
// (createJobFromOrder[WithPermit]); the funds come from Auth.Client.
//
// As JSON: {"params": {...}, "auth": {"client", "nonce", "deadline"},
// "signature": "0x<130 hex>", "permit": null | {...}}; amounts and the nonce
// are decimal strings, deadlines JSON numbers of unix seconds.
type OrderRequest struct {
	Params    OrderParams  `json:"params"`
	Auth      OrderAuth    `json:"auth"`
	Signature string       `json:"signature"` // 0x-hex, 65 bytes (r, s, v)
	Permit    *OrderPermit `json:"permit"`    // nil: the client approved the marketplace
}

// OrderParams are the job parameters of an order (the contract's JobParams).
type OrderParams struct {
	Kind              JobKind `json:"kind"`
	Token             Address `json:"token"`
	MaxPayment        Amount  `json:"max_payment"` // base units, at most a uint128
	Deadline          uint64  `json:"deadline"`    // the job's, unix seconds (uint40)
	PreferredProvider Address `json:"preferred_provider"`
	Creator           Address `json:"creator"`
	CreatorShareBps   uint16  `json:"creator_share_bps"`
	SpecHash          Hash    `json:"spec_hash"`
	SpecURI           string  `json:"spec_uri"`
}

// OrderAuth is an order's replay protection (the contract's OrderAuth): the
// signing client, an unordered nonce (decimal string, uint256) and the
// order's own deadline (the contract's expiry, unix seconds): after it the
// order can no longer be submitted.
type OrderAuth struct {
	Client   Address `json:"client"`
	Nonce    Amount  `json:"nonce"`
	Deadline uint64  `json:"deadline"`
}

// OrderPermit is a signed EIP-2612 permit of the order's token for the
// marketplace (the contract's PermitData).
type OrderPermit struct {
	Value    Amount `json:"value"`
	Deadline Amount `json:"deadline"`
	V        uint8  `json:"v"`
	R        Hash   `json:"r"`
	S        Hash   `json:"s"`
}

// MaxOrderRequestBytes bounds a POST /v1/orders body.
const MaxOrderRequestBytes = 16 << 10

// MaxSpecURIBytes bounds an order's spec URI (it is stored on chain).
const MaxSpecURIBytes = 2048

// Validate returns an EINVALID error naming the first field that is out of
// its Solidity type's range or malformed.
func (o *OrderRequest) Validate() error {
	p := &o.Params
	switch {
	case !p.Kind.Valid():
		return Errorf(EINVALID, "order: params.kind %d is not a job kind", p.Kind)
	case p.MaxPayment.IsZero():
		return Errorf(EINVALID, "order: params.max_payment is zero")
	case p.MaxPayment.Big().BitLen() > 128:
		return Errorf(EINVALID, "order: params.max_payment does not fit in a uint128")
	case p.Deadline == 0 || p.Deadline >= 1<<40:
		return Errorf(EINVALID, "order: params.deadline %d is not a uint40 unix time", p.Deadline)
	case p.Token.IsZero():
		return Errorf(EINVALID, "order: params.token is the zero address")
	case p.SpecHash.IsZero():
		return Errorf(EINVALID, "order: params.spec_hash is zero")
	case len(p.SpecURI) > MaxSpecURIBytes:
		return Errorf(EINVALID, "order: params.spec_uri has %d bytes, more than %d", len(p.SpecURI), MaxSpecURIBytes)
	case o.Auth.Client.IsZero():
		return Errorf(EINVALID, "order: auth.client is the zero address")
	case o.Auth.Deadline == 0:
		return Errorf(EINVALID, "order: auth.deadline is missing")
	}
	if _, err := o.SignatureBytes(); err != nil {
		return err
	}
	return nil
}

// SignatureBytes returns the decoded signature, or an EINVALID error when it
// is not 0x followed by 65 bytes of hex.
func (o *OrderRequest) SignatureBytes() ([]byte, error) {
	s, ok := strings.CutPrefix(o.Signature, "0x")
	if !ok || len(s) != 130 {
		return nil, Errorf(EINVALID, "order: signature is not 0x followed by 130 hex digits (got %d characters)", len(o.Signature))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, Errorf(EINVALID, "order: signature is not hex")
	}
	return b, nil
}

// OrderID returns "<client>:<nonce>", the order's identity
// (GET /v1/orders/{client}/{nonce}).
func (o *OrderRequest) OrderID() string { return OrderID(o.Auth.Client, o.Auth.Nonce) }

// OrderID returns "<client>:<nonce>" (lower-case hex address, decimal nonce).
func OrderID(client Address, nonce Amount) string { return fmt.Sprintf("%s:%s", client, nonce) }

// OrderState is where a relayed order is.
type OrderState string

// Order states.
const (
	OrderPending OrderState = "pending" // accepted; the transaction is not yet mined
	OrderMined   OrderState = "mined"   // the transaction is mined and created the job
	OrderFailed  OrderState = "failed"  // it will not create a job (Error says why)
)

// OrderStatus is a relayed order as POST /v1/orders (202) and GET
// /v1/orders/{client}/{nonce} return it. TxHash is the latest signed
// transaction (nil before the first is signed; it changes when a fee bump
// replaces it); JobID (the decimal job id) is set once mined.
type OrderStatus struct {
	OrderID string     `json:"order_id"`
	State   OrderState `json:"state"`
	TxHash  *Hash      `json:"tx_hash"`
	JobID   *string    `json:"job_id"` // decimal; nil until mined
	Error   string     `json:"error,omitempty"`
}
