package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// JobView is the body of GET /v1/jobs/{chainId}/{jobId} (openapi.json's
// Job), kept as the matcher sent it: Chain and Matching are decoded for
// the fields a watcher branches on, Raw holds the whole document.
type JobView struct {
	ChainID uint64 `json:"chain_id"`
	JobID   string `json:"job_id"`
	Chain   struct {
		State      string  `json:"state"`
		Kind       string  `json:"kind"`
		Provider   *string `json:"provider,omitempty"`
		Price      string  `json:"price"`
		MaxPayment string  `json:"max_payment"`
		ResultHash *string `json:"result_hash,omitempty"`
		ResultURI  string  `json:"result_uri,omitempty"`
		AmountDue  string  `json:"amount_due"`
		Finalized  bool    `json:"finalized"`
	} `json:"chain"`
	Matching *struct {
		Status   string          `json:"status"`
		Reason   string          `json:"reason"`
		Attempts int             `json:"attempts"`
		Decision json.RawMessage `json:"decision,omitempty"`
	} `json:"matching,omitempty"`
	Raw json.RawMessage `json:"-"`
}

// Job returns a job's view (GET /v1/jobs/{chainId}/{jobId}); ENOTFOUND
// when the matcher has not indexed it.
func (c *Client) Job(ctx context.Context, chainID uint64, jobID gpumarket.JobID) (JobView, error) {
	var v JobView
	body, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/v1/jobs/%d/%d", chainID, jobID), nil)
	if err != nil {
		return v, fmt.Errorf("read job %d/%d: %w", chainID, jobID, err)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return v, gpumarket.Errorf(gpumarket.EINVALID, "read job %d/%d: malformed response: %v", chainID, jobID, err)
	}
	v.Raw = body
	return v, nil
}

// Event is one Server-Sent Event of a job's status stream: ID resumes the
// stream after it (Events' lastEventID), Type is state, offer,
// offer_lapsed, result, settled or final, Data its JSON object.
type Event struct {
	ID   string
	Type string
	Data json.RawMessage
}

// MaxEventBytes bounds one event's data line.
const MaxEventBytes = 1 << 20

// Events streams job jobID's status (GET /v1/jobs/{chainId}/{jobId}/events)
// from after lastEventID ("" for the current state first). The events
// channel closes when the stream ends: after a final event (the job is
// final), when ctx ends, or on an error, which is then sent on the error
// channel (closed after). A watcher that reconnects passes the last ID it
// received and misses nothing. Errors carry the API's codes: a 429 (too
// many streams from this address) or an unreachable matcher is
// EUNAVAILABLE; fall back to polling Job then.
func (c *Client) Events(ctx context.Context, chainID uint64, jobID gpumarket.JobID, lastEventID string) (<-chan Event, <-chan error) {
	events, errs := make(chan Event), make(chan error, 1)
	go func() {
		defer close(errs)
		defer close(events)
		if err := c.stream1(ctx, chainID, jobID, lastEventID, events); err != nil && ctx.Err() == nil {
			errs <- fmt.Errorf("watch job %d/%d: %w", chainID, jobID, err)
		}
	}()
	return events, errs
}

func (c *Client) stream1(ctx context.Context, chainID uint64, jobID gpumarket.JobID, lastEventID string, out chan<- Event) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/v1/jobs/"+strconv.FormatUint(chainID, 10)+"/"+jobID.String()+"/events", nil)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := c.send(c.stream(), req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		return gpumarket.Errorf(gpumarket.EINVALID, "the matcher answered %q, not an event stream", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), MaxEventBytes+64)
	var ev Event
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Type == "" && len(data) == 0 {
				continue
			}
			ev.Data = json.RawMessage(strings.Join(data, "\n"))
			select {
			case out <- ev:
			case <-ctx.Done():
				return nil
			}
			if ev.Type == "final" {
				return nil
			}
			ev, data = Event{}, nil
		case strings.HasPrefix(line, ":"): // comment (heartbeat)
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "id":
				ev.ID = value
			case "event":
				ev.Type = value
			case "data":
				data = append(data, value)
			}
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "status stream cut: %v", err)
	}
	return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "status stream ended before the job was final")
}
