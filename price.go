package gpumarket

import (
	"encoding/json"
	"math/big"
)

// PriceUnit names what a price is per. Each unit belongs to one job kind and
// counts some measure of [Estimate] (and of [Usage]); the cost of q counted
// measures at price p per unit is ceil(p*q/Divisor), see [PriceUnit.Cost].
type PriceUnit string

// The price units: render per frame and per GPU-second, tts per 1,000
// characters, stt per audio minute, llm per 1,000 tokens (input plus output).
const (
	UnitFrame       PriceUnit = "frame"
	UnitGPUSecond   PriceUnit = "gpu_second"
	UnitKChars      PriceUnit = "1k_chars"
	UnitAudioMinute PriceUnit = "audio_minute"
	UnitKTokens     PriceUnit = "1k_tokens"
)

var unitInfo = map[PriceUnit]struct {
	kind    JobKind
	divisor uint64
}{
	UnitFrame:       {JobKindRender, 1},
	UnitGPUSecond:   {JobKindRender, 1},
	UnitKChars:      {JobKindTTS, 1000},
	UnitAudioMinute: {JobKindSTT, 60},
	UnitKTokens:     {JobKindLLM, 1000},
}

var kindUnits = [...][]PriceUnit{
	JobKindRender: {UnitFrame, UnitGPUSecond},
	JobKindTTS:    {UnitKChars},
	JobKindSTT:    {UnitAudioMinute},
	JobKindLLM:    {UnitKTokens},
}

// Units returns the price units of kind k in a fixed order (nil for an
// invalid kind). The caller must not modify the slice.
func (k JobKind) Units() []PriceUnit {
	if !k.Valid() {
		return nil
	}
	return kindUnits[k]
}

// Valid reports whether u is one of the defined units.
func (u PriceUnit) Valid() bool { _, ok := unitInfo[u]; return ok }

// Kind returns the job kind the unit prices.
func (u PriceUnit) Kind() JobKind { return unitInfo[u].kind }

// Divisor returns how many counted measures one unit is: 1000 characters,
// 60 audio seconds, 1000 tokens, 1 frame, 1 GPU-second.
func (u PriceUnit) Divisor() uint64 { return unitInfo[u].divisor }

// Cost returns ceil(price*quantity/Divisor) for quantity counted measures
// (frames, GPU-seconds, characters, audio seconds, tokens) as a new big.Int.
// Rounding up means a quote never undercuts what the provider will charge.
// It panics if price is nil or u is invalid; callers validate first.
func (u PriceUnit) Cost(price *big.Int, quantity uint64) *big.Int {
	d := u.Divisor()
	if d == 0 {
		panic("gpumarket: Cost of invalid unit " + string(u))
	}
	c := new(big.Int).Mul(price, new(big.Int).SetUint64(quantity))
	if d == 1 {
		return c
	}
	div := new(big.Int).SetUint64(d)
	c.Add(c, new(big.Int).SetUint64(d-1))
	return c.Quo(c, div)
}

// Price is a provider's price for one unit, in base units of the
// attestation's payment token.
type Price struct {
	Unit   PriceUnit
	Amount *big.Int
}

type priceJSON struct {
	Unit   PriceUnit `json:"unit"`
	Amount string    `json:"amount"`
}

// MarshalJSON encodes the amount as a decimal string so that no JSON reader
// rounds it through a float.
func (p Price) MarshalJSON() ([]byte, error) {
	amt := ""
	if p.Amount != nil {
		amt = p.Amount.String()
	}
	return json.Marshal(priceJSON{Unit: p.Unit, Amount: amt})
}

// UnmarshalJSON decodes {"unit": ..., "amount": "decimal"} strictly: unknown
// fields and non-decimal amounts are EINVALID errors.
func (p *Price) UnmarshalJSON(b []byte) error {
	var w priceJSON
	if err := strictUnmarshal(b, &w); err != nil {
		return err
	}
	amt, err := ParseAmount(w.Amount)
	if err != nil {
		return err
	}
	p.Unit, p.Amount = w.Unit, amt
	return nil
}
