package postgres

import (
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gpumarket/gpumarket"
)

// The NUMERIC codec: the one place where amounts and other NUMERIC(78,0)
// values cross between Go and PostgreSQL. Values travel as decimal text
// (parameters bound to NUMERIC columns or cast with $n::numeric; columns
// selected as x::text), which is exact at any size; rows of COPY carry
// them as pgtype.Numeric (copyNumeric), as exact.
//
// Encoding: a nil *big.Int is NULL; columns that are NOT NULL and whose Go
// field leaves 0 unset pass zeroIfNil(x). Decoding has one failure
// behaviour: a value that is not an integer (or, for an Amount, not in
// [0, 2^256-1]), or a NULL where a value is required, is an error naming the
// column; never a silent zero or nil.

// encodeNumeric returns x as a NUMERIC parameter: its decimal text, or NULL
// when x is nil.
func encodeNumeric(x *big.Int) *string {
	if x == nil {
		return nil
	}
	s := x.String()
	return &s
}

// copyNumeric returns x as a NUMERIC value of a COPY row: a
// pgtype.Numeric (exact at any size), NULL when x is nil. COPY sends rows
// in binary, where decimal text is not a NUMERIC encoding: pgx would fail
// to encode it, then parse it and encode the result, for every value.
func copyNumeric(x *big.Int) any {
	if x == nil {
		return nil
	}
	return pgtype.Numeric{Int: x, Valid: true}
}

// copyUint64 is copyNumeric for a uint64 (a job id, a usage counter).
func copyUint64(v uint64) pgtype.Numeric {
	return pgtype.Numeric{Int: new(big.Int).SetUint64(v), Valid: true}
}

// encodeAmount returns a as a NUMERIC parameter.
func encodeAmount(a gpumarket.Amount) string { return a.String() }

// zeroIfNil returns x, or 0 when x is nil.
func zeroIfNil(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// decodeNumeric parses column's NUMERIC text s: nil (NULL) gives nil; text
// that is not an integer is an error naming column.
func decodeNumeric(column string, s *string) (*big.Int, error) {
	if s == nil {
		return nil, nil
	}
	v, ok := new(big.Int).SetString(*s, 10)
	if !ok {
		return nil, fmt.Errorf("column %s: numeric %q is not an integer", column, *s)
	}
	return v, nil
}

// decodeRequired is decodeNumeric for a column that must hold a value: NULL
// is an error naming column.
func decodeRequired(column string, s *string) (*big.Int, error) {
	if s == nil {
		return nil, fmt.Errorf("column %s: NULL where a number is required", column)
	}
	return decodeNumeric(column, s)
}

// decodeAmount parses column's NUMERIC text s as an Amount: NULL, a
// non-integer, a negative value or one above 2^256-1 is an error naming
// column.
func decodeAmount(column string, s *string) (gpumarket.Amount, error) {
	v, err := decodeRequired(column, s)
	if err != nil {
		return gpumarket.Amount{}, err
	}
	a, err := gpumarket.NewAmount(v)
	if err != nil {
		return gpumarket.Amount{}, fmt.Errorf("column %s: %w", column, err)
	}
	return a, nil
}

// decodeUint64 parses column's NUMERIC text s as a uint64 (NULL is 0, for
// counters that start unset): a value outside [0, 2^64-1] is an error naming
// column.
func decodeUint64(column string, s *string) (uint64, error) {
	v, err := decodeNumeric(column, s)
	if err != nil || v == nil {
		return 0, err
	}
	if !v.IsUint64() {
		return 0, fmt.Errorf("column %s: %s does not fit in a uint64", column, v)
	}
	return v.Uint64(), nil
}

// numericDecoder decodes several columns of one row and keeps the first
// error, so that a scan function checks once:
//
//	var d numericDecoder
//	r.Price, r.Refund = d.required("price", &price), d.nullable("refund", refund)
//	if d.err != nil { ... }
type numericDecoder struct {
	err error
}

func (d *numericDecoder) keep(err error) {
	if d.err == nil {
		d.err = err
	}
}

// nullable is decodeNumeric.
func (d *numericDecoder) nullable(column string, s *string) *big.Int {
	v, err := decodeNumeric(column, s)
	d.keep(err)
	return v
}

// required is decodeRequired.
func (d *numericDecoder) required(column string, s *string) *big.Int {
	v, err := decodeRequired(column, s)
	d.keep(err)
	return v
}

// amount is decodeAmount.
func (d *numericDecoder) amount(column string, s *string) gpumarket.Amount {
	v, err := decodeAmount(column, s)
	d.keep(err)
	return v
}

// uint64 is decodeUint64.
func (d *numericDecoder) uint64(column string, s *string) uint64 {
	v, err := decodeUint64(column, s)
	d.keep(err)
	return v
}
