package eip712

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gpumarket/gpumarket"
)

const (
	// JobOrderType is a client's signed job order (gasless posting), in the
	// JobMarketplace's domain ("GpuMarket"): the job parameters, then the
	// client, its unordered nonce and the order's expiry (unix seconds). It
	// is the contract's type string exactly
	// (contracts/abi/typed-data/JobOrder.type.txt; a test compares them).
	JobOrderType = "JobOrder(uint8 kind,address token,uint128 maxPayment,uint40 deadline,address preferredProvider,address creator,uint16 creatorShareBps,bytes32 specHash,string specURI,address client,uint256 nonce,uint64 expiry)"

	// PermitType is the EIP-2612 permit of an ERC-20 token, in the token's own
	// domain (its name, version "1" for OpenZeppelin's ERC20Permit).
	PermitType = "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)

var (
	jobOrderTypes = mustParseType(JobOrderType)
	permitTypes   = mustParseType(PermitType)
)

// JobParams is what a client provides to create a job (the contract's
// JobParams struct): from its wallet, or inside a signed JobOrder.
type JobParams struct {
	Kind              gpumarket.JobKind
	Token             gpumarket.Address
	MaxPayment        *big.Int // uint128, locked at creation
	Deadline          uint64   // uint40 unix seconds
	PreferredProvider gpumarket.Address
	Creator           gpumarket.Address
	CreatorShareBps   uint16
	SpecHash          gpumarket.Hash
	SpecURI           string
}

// OrderAuth is the replay protection of a signed order (the contract's
// OrderAuth struct): the signing client, an unordered nonce, and the order's
// expiry in unix seconds.
type OrderAuth struct {
	Client gpumarket.Address
	Nonce  *big.Int // uint256; type(uint256).max is reserved by the contract
	Expiry uint64   // uint64 unix seconds
}

// JobOrder is a client-signed order: anyone may submit it with
// createJobFromOrder; the funds come from Auth.Client.
type JobOrder struct {
	Params JobParams
	Auth   OrderAuth
}

// Permit is an EIP-2612 permit of a token: Owner lets Spender move Value
// until Deadline (unix seconds); Nonce is the owner's current permit nonce
// in the token.
type Permit struct {
	Owner    gpumarket.Address
	Spender  gpumarket.Address
	Value    *big.Int
	Nonce    *big.Int
	Deadline *big.Int
}

// Check returns an EINVALID error when a field does not fit its Solidity type.
func (p *JobParams) Check() error {
	switch {
	case !p.Kind.Valid():
		return gpumarket.Errorf(gpumarket.EINVALID, "job params: kind %d is not a job kind", p.Kind)
	case p.MaxPayment == nil || p.MaxPayment.Sign() < 0 || p.MaxPayment.BitLen() > 128:
		return gpumarket.Errorf(gpumarket.EINVALID, "job params: max payment %v is not a uint128", p.MaxPayment)
	case p.Deadline >= 1<<40:
		return gpumarket.Errorf(gpumarket.EINVALID, "job params: deadline %d does not fit in a uint40", p.Deadline)
	}
	return nil
}

// Check returns an EINVALID error when the nonce is not a uint256.
func (a *OrderAuth) Check() error {
	if a.Nonce == nil || a.Nonce.Sign() < 0 || a.Nonce.BitLen() > 256 {
		return gpumarket.Errorf(gpumarket.EINVALID, "order auth: nonce %v is not a uint256", a.Nonce)
	}
	return nil
}

func jobOrderMessage(o *JobOrder) (apitypes.TypedDataMessage, error) {
	if err := o.Params.Check(); err != nil {
		return nil, err
	}
	if err := o.Auth.Check(); err != nil {
		return nil, err
	}
	p, a := &o.Params, &o.Auth
	return apitypes.TypedDataMessage{
		"kind":              decimalString(uint64(p.Kind)),
		"token":             hexAddress(p.Token),
		"maxPayment":        p.MaxPayment.String(),
		"deadline":          decimalString(p.Deadline),
		"preferredProvider": hexAddress(p.PreferredProvider),
		"creator":           hexAddress(p.Creator),
		"creatorShareBps":   decimalString(uint64(p.CreatorShareBps)),
		"specHash":          p.SpecHash.String(),
		"specURI":           p.SpecURI,
		"client":            hexAddress(a.Client),
		"nonce":             a.Nonce.String(),
		"expiry":            decimalString(a.Expiry),
	}, nil
}

// JobOrderDigest returns the EIP-712 digest of a job order under d (the
// contract's hashOrder). It returns an EINVALID error for a value out of its
// Solidity type's range or an invalid domain.
func JobOrderDigest(d Domain, o *JobOrder) (gpumarket.Hash, error) {
	msg, err := jobOrderMessage(o)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("job order digest: %w", err)
	}
	return jobOrderTypes.digest(d, msg)
}

// JobOrderTypedData returns the eth_signTypedData_v4 payload of a job order
// (see EncodeTypedDataV4), for a client's wallet to sign. It returns an
// EINVALID error as JobOrderDigest.
func JobOrderTypedData(d Domain, o *JobOrder) (apitypes.TypedData, error) {
	msg, err := jobOrderMessage(o)
	if err != nil {
		return apitypes.TypedData{}, fmt.Errorf("job order typed data: %w", err)
	}
	if err := d.check(); err != nil {
		return apitypes.TypedData{}, fmt.Errorf("job order typed data: %w", err)
	}
	return jobOrderTypes.typedData(d, msg), nil
}

// SignJobOrder signs the order's digest under d (MarketDomain) with the
// client's key. It returns an EINVALID error as JobOrderDigest.
func SignJobOrder(key *ecdsa.PrivateKey, d Domain, o *JobOrder) ([]byte, error) {
	h, err := JobOrderDigest(d, o)
	if err != nil {
		return nil, fmt.Errorf("sign job order: %w", err)
	}
	return Sign(key, h)
}

// PermitDigest returns the EIP-2612 digest of p under the token's domain d.
// It returns an EINVALID error for a missing amount or an invalid domain.
func PermitDigest(d Domain, p *Permit) (gpumarket.Hash, error) {
	for _, v := range []*big.Int{p.Value, p.Nonce, p.Deadline} {
		if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
			return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "permit digest: %v is not a uint256", v)
		}
	}
	return permitTypes.digest(d, apitypes.TypedDataMessage{
		"owner":    hexAddress(p.Owner),
		"spender":  hexAddress(p.Spender),
		"value":    p.Value.String(),
		"nonce":    p.Nonce.String(),
		"deadline": p.Deadline.String(),
	})
}

// SignPermit signs p under the token's domain d with the owner's key and
// returns it split as the contract's PermitData (v, r, s) expects.
func SignPermit(key *ecdsa.PrivateKey, d Domain, p *Permit) (PermitSignature, error) {
	h, err := PermitDigest(d, p)
	if err != nil {
		return PermitSignature{}, fmt.Errorf("sign permit: %w", err)
	}
	sig, err := Sign(key, h)
	if err != nil {
		return PermitSignature{}, fmt.Errorf("sign permit: %w", err)
	}
	out := PermitSignature{Value: new(big.Int).Set(p.Value), Deadline: new(big.Int).Set(p.Deadline), V: sig[64]}
	copy(out.R[:], sig[:32])
	copy(out.S[:], sig[32:64])
	return out, nil
}

// PermitSignature is a signed permit as the marketplace's *WithPermit
// functions take it (the contract's PermitData).
type PermitSignature struct {
	Value    *big.Int
	Deadline *big.Int
	V        uint8
	R, S     gpumarket.Hash
}
