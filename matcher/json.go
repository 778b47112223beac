package matcher

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"slices"
	"strconv"
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
		Cheapest     string `json:"cheapest,omitempty"` // absent when no provider qualifies
	}{plain(q), decimal(q.Subtotal), decimal(q.Minimum), decimal(q.Total), decimal(q.ProtocolFee),
		decimal(q.CreatorShare), decimal(q.ProviderNet), decimal(q.BandLow), decimal(q.BandHigh), decimal(q.Cheapest)})
}

// The decision encoders below produce exactly what encoding/json produces
// for the same values (TestAppendJSONMatchesMarshal), several times faster
// and without reflection: every offer stores its decision, its ranking and
// its score, which made JSON a tenth of the matcher's CPU time.

// AppendJSON appends s encoded as JSON.
func (s Score) AppendJSON(b []byte) []byte {
	b = append(b, `{"price":`...)
	b = strconv.AppendUint(b, uint64(s.Price), 10)
	b = append(b, `,"reputation":`...)
	b = strconv.AppendUint(b, uint64(s.Reputation), 10)
	b = append(b, `,"latency":`...)
	b = strconv.AppendUint(b, uint64(s.Latency), 10)
	b = append(b, `,"load":`...)
	b = strconv.AppendUint(b, uint64(s.Load), 10)
	b = append(b, `,"stake":`...)
	b = strconv.AppendUint(b, uint64(s.Stake), 10)
	b = append(b, `,"throughput":`...)
	b = strconv.AppendUint(b, uint64(s.Throughput), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, uint64(s.Total), 10)
	return append(b, '}')
}

// AppendJSON appends r encoded as JSON (see Ranked.MarshalJSON).
func (r Ranked) AppendJSON(b []byte) []byte {
	b = append(b, `{"provider":"0x`...)
	b = hex.AppendEncode(b, r.Provider[:])
	b = append(b, `","slots":`...)
	b = strconv.AppendUint(b, uint64(r.Slots), 10)
	b = append(b, `,"score":`...)
	b = r.Score.AppendJSON(b)
	b = append(b, `,"cost":"`...)
	if r.Cost == nil {
		return append(b, `\u003cnil\u003e"}`...) // (*big.Int)(nil).String(), escaped
	}
	b = r.Cost.Append(b, 10)
	return append(b, `"}`...)
}

// AppendRankedJSON appends rs encoded as a JSON array ("null" when nil, as
// encoding/json does).
func AppendRankedJSON(b []byte, rs []Ranked) []byte {
	if rs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = rs[i].AppendJSON(b)
	}
	return append(b, ']')
}

// AppendJSON appends d encoded as JSON. It returns an error only when a
// value cannot be encoded (as json.Marshal would).
func (d *Decision) AppendJSON(b []byte) ([]byte, error) {
	if d == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"job_id":`...)
	b = strconv.AppendUint(b, uint64(d.JobID), 10)
	b = append(b, `,"at":`...)
	b = strconv.AppendInt(b, d.At, 10)
	w := d.Weights
	b = append(b, `,"weights":{"price":`...)
	b = strconv.AppendUint(b, uint64(w.Price), 10)
	b = append(b, `,"reputation":`...)
	b = strconv.AppendUint(b, uint64(w.Reputation), 10)
	b = append(b, `,"latency":`...)
	b = strconv.AppendUint(b, uint64(w.Latency), 10)
	b = append(b, `,"load":`...)
	b = strconv.AppendUint(b, uint64(w.Load), 10)
	b = append(b, `,"stake":`...)
	b = strconv.AppendUint(b, uint64(w.Stake), 10)
	b = append(b, `,"throughput":`...)
	b = strconv.AppendUint(b, uint64(w.Throughput), 10)
	b = append(b, `},"considered":`...)
	b = strconv.AppendInt(b, int64(d.Considered), 10)
	b = append(b, `,"eligible":`...)
	b = strconv.AppendInt(b, int64(d.Eligible), 10)
	b = append(b, `,"rejected":`...)
	if d.Rejected == nil {
		b = append(b, "null"...)
	} else {
		keys := make([]string, 0, len(d.Rejected))
		for k := range d.Rejected {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONString(b, k); err != nil {
				return nil, err
			}
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(d.Rejected[k]), 10)
		}
		b = append(b, '}')
	}
	b = append(b, `,"ranked":`...)
	b = AppendRankedJSON(b, d.Ranked)
	if len(d.Rejections) > 0 {
		r, err := json.Marshal(d.Rejections)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"rejections":`...)
		b = append(b, r...)
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string: plain ASCII directly,
// anything that needs escaping through encoding/json.
func appendJSONString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			return append(b, q...), err
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}
