package anvil

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// rpcClient is the small JSON-RPC 2.0 client over HTTP that the test node
// needs for anvil's own methods; the system's chain clients live under
// internal/eth.
type rpcClient struct {
	url  string
	http *http.Client
	id   atomic.Uint64
}

// RPCError is an error object a JSON-RPC answer carried.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("json-rpc error %d: %s", e.Code, e.Message) }

func (c *rpcClient) call(ctx context.Context, result any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id.Add(1), "method": method, "params": params})
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("http %s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	var answer struct {
		Result json.RawMessage `json:"result"`
		Error  *RPCError       `json:"error"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	if answer.Error != nil {
		return answer.Error
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(answer.Result, result); err != nil {
		return fmt.Errorf("decode result: %w", err)
	}
	return nil
}

// Quantity is a JSON-RPC quantity: a number written as 0x-prefixed hex.
type Quantity uint64

// MarshalText writes q as 0x-prefixed hex.
func (q Quantity) MarshalText() ([]byte, error) {
	return []byte("0x" + strconv.FormatUint(uint64(q), 16)), nil
}

// UnmarshalText reads a 0x-prefixed hex quantity.
func (q *Quantity) UnmarshalText(b []byte) error {
	s, ok := strings.CutPrefix(string(b), "0x")
	if !ok || s == "" {
		return fmt.Errorf("quantity %q is not 0x-prefixed hex", b)
	}
	n, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return fmt.Errorf("quantity %q: %w", b, err)
	}
	*q = Quantity(n)
	return nil
}

// BigQuantity writes v as a JSON-RPC quantity (0x-prefixed hex).
func BigQuantity(v *big.Int) string { return "0x" + v.Text(16) }

// hexData is JSON-RPC data: bytes written as 0x-prefixed hex.
type hexData []byte

func (d hexData) MarshalText() ([]byte, error) { return []byte("0x" + hex.EncodeToString(d)), nil }

func (d *hexData) UnmarshalText(b []byte) error {
	s, ok := strings.CutPrefix(string(b), "0x")
	if !ok {
		return fmt.Errorf("data %q is not 0x-prefixed hex", b)
	}
	out, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	*d = out
	return nil
}
