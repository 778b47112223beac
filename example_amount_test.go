package gpumarket_test

import (
	"encoding/json"
	"fmt"

	"github.com/gpumarket/gpumarket"
)

// An Amount travels as a JSON string of decimal digits, so that values above
// 2^53 keep every digit; anything but plain digits is refused.
func ExampleAmount() {
	var offer struct {
		Price gpumarket.Amount `json:"price"`
	}
	if err := json.Unmarshal([]byte(`{"price":"1500000000000000000000"}`), &offer); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(offer.Price, offer.Price.Cmp(gpumarket.AmountFromUint64(1)))
	out, _ := json.Marshal(offer)
	fmt.Println(string(out))

	err := json.Unmarshal([]byte(`{"price":"1e21"}`), &offer)
	fmt.Println(gpumarket.ErrorCode(err))
	// Output:
	// 1500000000000000000000 1
	// {"price":"1500000000000000000000"}
	// invalid
}
