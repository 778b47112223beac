package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/gpumarket/gpumarket"
)

// SolanaQuote is the matcher's 402 answer to a job request on the Solana
// rail (POST /v1/rail/solana/quotes); amounts are decimal base units.
type SolanaQuote struct {
	QuoteID   int64  `json:"quote_id"`
	Cluster   string `json:"cluster"`
	Provider  string `json:"provider"`
	Recipient string `json:"recipient"`
	Mint      string `json:"mint"`
	Decimals  uint8  `json:"decimals"`
	Amount    string `json:"amount"`
	AmountUI  string `json:"amount_ui"`
	Reference string `json:"reference"`
	Memo      string `json:"memo"`
	ExpiresAt string `json:"expires_at"`
	URL       string `json:"url"`
	SpecHash  string `json:"spec_hash"`
	Custody   string `json:"custody"`
}

// SolanaPayment is a payment the matcher recorded for a quote, with its
// verdict (funds, underpaid, late, wrong_mint, wrong_recipient, failed,
// no_reference, unreadable, spent) and reason.
type SolanaPayment struct {
	Signature string `json:"signature"`
	Payer     string `json:"payer"`
	Arrived   string `json:"arrived"`
	Excess    string `json:"excess"`
	Verdict   string `json:"verdict"`
	Reason    string `json:"reason"`
}

// SolanaJob is the job a quote's payment funds.
type SolanaJob struct {
	State      string `json:"state"`
	Signature  string `json:"signature"`
	Payer      string `json:"payer"`
	Paid       string `json:"paid"`
	ResultHash string `json:"result_hash"`
	ResultURI  string `json:"result_uri"`
	Failure    string `json:"failure"`
}

// SolanaQuote asks the matcher for a quote of spec paid on the Solana
// rail in mint ("" for the default). It returns the quote on 402, and an
// error with the API's message and code otherwise.
func (c *Client) SolanaQuote(ctx context.Context, spec []byte, mint string) (SolanaQuote, error) {
	body := map[string]any{"spec": json.RawMessage(spec)}
	if mint != "" {
		body["mint"] = mint
	}
	var q SolanaQuote
	b, err := c.expect402(ctx, "/v1/rail/solana/quotes", body)
	if err != nil {
		return q, err
	}
	if err := json.Unmarshal(b, &q); err != nil || q.URL == "" || q.Reference == "" {
		return q, gpumarket.Errorf(gpumarket.EINVALID, "matcher: malformed Solana quote")
	}
	return q, nil
}

// SolanaQuoteStatus returns what the matcher recorded for the quote whose
// reference is ref: its payments and its job (nil when not funded).
func (c *Client) SolanaQuoteStatus(ctx context.Context, ref string) ([]SolanaPayment, *SolanaJob, error) {
	b, err := c.do(ctx, http.MethodGet, "/v1/rail/solana/quotes/"+url.PathEscape(ref), nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Payments []SolanaPayment `json:"payments"`
		Job      *SolanaJob      `json:"job"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "matcher: malformed quote status")
	}
	return out.Payments, out.Job, nil
}

// ConfirmSolana presents the transaction signature for the quote whose
// reference is ref. It returns the payment as the matcher recorded it and
// the quote's job (nil when the payment funds nothing).
func (c *Client) ConfirmSolana(ctx context.Context, ref, signature string) (SolanaPayment, *SolanaJob, error) {
	var out struct {
		Payment SolanaPayment `json:"payment"`
		Job     *SolanaJob    `json:"job"`
	}
	b, err := c.expect402(ctx, "/v1/rail/solana/quotes/"+url.PathEscape(ref)+"/confirm", map[string]string{"signature": signature})
	if err != nil {
		return out.Payment, nil, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out.Payment, nil, gpumarket.Errorf(gpumarket.EINVALID, "matcher: malformed confirmation")
	}
	return out.Payment, out.Job, nil
}

// expect402 posts v and returns the body of a 2xx or 402 answer.
func (c *Client) expect402(ctx context.Context, path string, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "encode request: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "matcher unreachable: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil || len(b) > MaxResponseBytes {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read matcher response: %v", err)
	}
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusPaymentRequired {
		return nil, ResponseError(resp.StatusCode, b)
	}
	return b, nil
}
