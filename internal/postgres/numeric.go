package postgres

import (
	"fmt"
	"math/big"
)

func numStr(x *big.Int) string {
	if x == nil {
		return "0"
	}
	return x.String()
}

func parseNum(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, fmt.Errorf("numeric %q is not an integer", s)
	}
	return n, nil
}
