package matcher

import (
	"encoding/json"
	"math/big"
)

// Amounts are encoded in JSON as decimal strings (never JSON numbers, which
// many readers parse as floats); these methods do it for the types that
// carry *big.Int amounts.

func decimal(x *big.Int) string {
	if x == nil {
		return ""
	}
	return x.String()
}

// MarshalJSON encodes the price as a decimal string.
func (f Flag) MarshalJSON() ([]byte, error) {
	type plain Flag
	return json.Marshal(struct {
		plain
		Price string `json:"price"`
	}{plain(f), decimal(f.Price)})
}

// MarshalJSON encodes the rates as decimal strings.
func (r Rate) MarshalJSON() ([]byte, error) {
	type plain Rate
	return json.Marshal(struct {
		plain
		Fair         string `json:"fair"`
		Low          string `json:"low"`
		High         string `json:"high"`
		Reference    string `json:"reference"`
		LowestProven string `json:"lowest_proven"`
	}{plain(r), decimal(r.Fair), decimal(r.Low), decimal(r.High), decimal(r.Reference), decimal(r.LowestProven)})
}

// MarshalJSON encodes the key as {"kind", "unit", "class"}.
func (k RateKey) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind  string `json:"kind"`
		Unit  string `json:"unit"`
		Class string `json:"class"`
	}{k.Kind.String(), string(k.Unit), string(k.Class)})
}

// MarshalJSON encodes the amounts as decimal strings.
func (l QuoteLine) MarshalJSON() ([]byte, error) {
	type plain QuoteLine
	return json.Marshal(struct {
		plain
		Rate string `json:"rate"`
		Cost string `json:"cost"`
		Low  string `json:"low"`
		High string `json:"high"`
	}{plain(l), decimal(l.Rate), decimal(l.Cost), decimal(l.Low), decimal(l.High)})
}

// MarshalJSON encodes the cost as a decimal string.
func (q QualifiedProvider) MarshalJSON() ([]byte, error) {
	type plain QualifiedProvider
	return json.Marshal(struct {
		plain
		Cost string `json:"cost"`
	}{plain(q), decimal(q.Cost)})
}

// MarshalJSON encodes the amounts as decimal strings.
func (q Quote) MarshalJSON() ([]byte, error) {
	type plain Quote
	return json.Marshal(struct {
		plain
		Subtotal     string `json:"subtotal"`
		Minimum      string `json:"minimum"`
		Total        string `json:"total"`
		ProtocolFee  string `json:"protocol_fee"`
		CreatorShare string `json:"creator_share"`
		ProviderNet  string `json:"provider_net"`
		BandLow      string `json:"band_low"`
		BandHigh     string `json:"band_high"`
	}{plain(q), decimal(q.Subtotal), decimal(q.Minimum), decimal(q.Total), decimal(q.ProtocolFee),
		decimal(q.CreatorShare), decimal(q.ProviderNet), decimal(q.BandLow), decimal(q.BandHigh)})
}
