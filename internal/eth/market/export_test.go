package market

import "github.com/gpumarket/gpumarket"

// NewDecoderViaBindings returns a decoder that reads every event through
// the bindings' UnpackIntoInterface, as before words.go: the reference of
// the differential tests.
func NewDecoderViaBindings(market, registry gpumarket.Address) *Decoder {
	d := NewDecoder(market, registry)
	d.viaBindings = true
	return d
}
