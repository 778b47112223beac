package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// Live job status: GET /v1/jobs/{chainId}/{jobId}/events streams a job's
// changes as Server-Sent Events. Every event is derived from durable,
// ordered rows (job_events by block and log index, assignments by id, the
// matcher_jobs row's update time), and its id is the stream's cursor after
// it, so that a client reconnecting with Last-Event-ID gets exactly the
// events it missed. One LISTEN connection per process (RunEvents) wakes the
// streams of the jobs a notification names; each stream also re-reads at
// every heartbeat, so a lost notification only delays it.
//
// Reorgs: the cursor's chain position (block, log index) carries the
// block hash of the event there (its first 8 bytes). When a reorg replaced
// that block, the position no longer names what the client saw, and an
// event of the job re-mined at or below it would be skipped; the stream
// then rewinds its chain position and sends the job's result and settled
// events again, then its state. So a reorg loses nothing, and a client may
// see a result or settled event twice (the same transaction, or its
// re-mined version): treat them as idempotent. An id of seven fields (no
// block hash, from before this check) is resumed without it.

// Defaults of the status stream's Config fields.
const (
	DefaultEventHeartbeat        = 15 * time.Second
	DefaultEventWriteTimeout     = 10 * time.Second
	DefaultEventStreamsPerClient = 8
	DefaultEventStreams          = 512 // half of httpserve.DefaultMaxConns: each stream holds a connection
)

// eventCursor is what a stream has delivered: chain events up to (block,
// log) (sub 0: that event's own event, sub 1: the state after it), the
// matching state as of matched (unix µs), offers up to id offer, lapses up
// to id lapse, and final once the final event went out.
type eventCursor struct {
	block   uint64
	log     uint32
	fork    uint64 // first 8 bytes of the block hash at (block, log); 0: unknown
	sub     uint8
	matched int64
	offer   int64
	lapse   int64
	final   bool
}

// String encodes c as an event id: eight dot-separated decimals.
func (c eventCursor) String() string {
	f := 0
	if c.final {
		f = 1
	}
	return fmt.Sprintf("%d.%d.%d.%d.%d.%d.%d.%d", c.block, c.log, c.sub, c.matched, c.offer, c.lapse, f, c.fork)
}

// forkID is what a cursor keeps of a block hash.
func forkID(h gpumarket.Hash) uint64 { return binary.BigEndian.Uint64(h[:8]) }

// at sets c's chain position to event e (sub 0: e itself, 1: the state
// after it).
func (c *eventCursor) at(e *service.JobChainEvent, sub uint8) {
	c.block, c.log, c.sub, c.fork = e.Block, e.LogIndex, sub, forkID(e.BlockHash)
}

// reorgedUnder reports whether the block of c's chain position was
// replaced: a (the job's chain events from that position on) does not
// start with the event c names, in the block c saw it in.
func reorgedUnder(c eventCursor, a service.JobActivity) bool {
	if c.fork == 0 {
		return false // no chain event delivered, or an id without the hash
	}
	if len(a.Chain) == 0 {
		return true
	}
	e := &a.Chain[0]
	return e.Block != c.block || e.LogIndex != c.log || forkID(e.BlockHash) != c.fork
}

// parseEventCursor decodes an event id (Last-Event-ID); EINVALID when it is
// not one this server sent.
func parseEventCursor(s string) (eventCursor, error) {
	var c eventCursor
	parts := strings.Split(s, ".")
	if len(parts) != 7 && len(parts) != 8 {
		return c, badRequest("Last-Event-ID %q is not an event id of this stream", echo(s))
	}
	var n [7]int64
	for i, p := range parts[:7] {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || v < 0 {
			return c, badRequest("Last-Event-ID %q is not an event id of this stream", echo(s))
		}
		n[i] = v
	}
	if n[1] > 1<<32-1 || n[2] > 1 || n[6] > 1 {
		return c, badRequest("Last-Event-ID %q is not an event id of this stream", echo(s))
	}
	c = eventCursor{block: uint64(n[0]), log: uint32(n[1]), sub: uint8(n[2]), matched: n[3], offer: n[4], lapse: n[5], final: n[6] == 1}
	if len(parts) == 8 {
		f, err := strconv.ParseUint(parts[7], 10, 64)
		if err != nil {
			return eventCursor{}, badRequest("Last-Event-ID %q is not an event id of this stream", echo(s))
		}
		c.fork = f
	}
	return c, nil
}

// after reports whether chain position (block, log, sub) is beyond c's.
func (c eventCursor) after(block uint64, log uint32, sub uint8) bool {
	return cmp.Or(cmp.Compare(block, c.block), cmp.Compare(log, c.log), cmp.Compare(sub, c.sub)) > 0
}

// sseEvent is one event of the stream.
type sseEvent struct {
	id   eventCursor
	typ  string
	data any
}

func lapsed(state string) bool { return state == "expired" || state == "superseded" }

// currentCursor is the cursor of a stream that has delivered everything
// of a.
func currentCursor(v service.JobView, a service.JobActivity) eventCursor {
	var c eventCursor
	if n := len(a.Chain); n > 0 {
		c.at(&a.Chain[n-1], 1)
	}
	if v.Matching != nil {
		c.matched = v.Matching.Updated.UnixMicro()
	}
	for _, o := range a.Offers {
		c.offer = max(c.offer, o.ID)
		if lapsed(o.State) {
			c.lapse = max(c.lapse, o.ID)
		}
	}
	return c
}

// nextEvents returns the events a stream at cursor c has not delivered,
// given the job's view v and its activity a (chain events from c's
// position on, offers above min(c.lapse, c.offer)), in time order: offers
// and lapses and the result and settlement events, then one state event
// when the chain or the matching state moved, then final when the job is
// final. It is pure: the same cursor and data give the same events.
func nextEvents(c eventCursor, v service.JobView, a service.JobActivity) []sseEvent {
	type item struct {
		at    time.Time
		order int
		apply func(*eventCursor)
		typ   string
		data  any
	}
	var items []item
	for _, o := range a.Offers {
		if o.ID > c.offer {
			items = append(items, item{o.CreatedAt, 1, func(c *eventCursor) { c.offer = max(c.offer, o.ID) }, "offer", offerOut(o)})
		}
		if lapsed(o.State) && o.ID > c.lapse {
			at := o.CreatedAt
			if o.ClosedAt != nil {
				at = *o.ClosedAt
			}
			items = append(items, item{at, 0, func(c *eventCursor) { c.lapse = max(c.lapse, o.ID) }, "offer_lapsed", offerOut(o)})
		}
	}
	var last *service.JobChainEvent
	for i := range a.Chain {
		e := &a.Chain[i]
		if !c.after(e.Block, e.LogIndex, 1) {
			continue
		}
		last = e
		typ := ""
		switch e.Name {
		case "ResultSubmitted":
			typ = "result"
		case "JobSettled", "JobDisputeResolved":
			typ = "settled"
		}
		if typ != "" && c.after(e.Block, e.LogIndex, 0) {
			items = append(items, item{e.BlockTime, 2, func(c *eventCursor) { c.at(e, 0) }, typ, chainEventOut(e)})
		}
	}
	slices.SortStableFunc(items, func(x, y item) int { return cmp.Or(x.at.Compare(y.at), cmp.Compare(x.order, y.order)) })
	var out []sseEvent
	for _, it := range items {
		it.apply(&c)
		out = append(out, sseEvent{c, it.typ, it.data})
	}
	var matched int64
	if v.Matching != nil {
		matched = v.Matching.Updated.UnixMicro()
	}
	if last != nil || matched > c.matched {
		if last != nil {
			c.at(last, 1)
		}
		c.matched = max(c.matched, matched)
		out = append(out, sseEvent{c, "state", jobOut(v)})
	}
	if v.Chain.State.Terminal() { // sent again to a client resuming after it: the stream then closes
		c.final = true
		out = append(out, sseEvent{c, "final", map[string]any{"state": v.Chain.State.String(), "finalized": v.Chain.Finalized}})
	}
	return out
}

// offerJSON is the data of offer and offer_lapsed events.
type offerJSON struct {
	OfferID   int64             `json:"offer_id"`
	Provider  gpumarket.Address `json:"provider"`
	Price     gpumarket.Amount  `json:"price"`
	Expiry    int64             `json:"expiry"`
	Rank      int               `json:"rank"`
	State     string            `json:"state"`
	CreatedAt time.Time         `json:"created_at"`
	ClosedAt  *time.Time        `json:"closed_at,omitempty"`
}

func offerOut(o service.JobOffer) offerJSON {
	return offerJSON{OfferID: o.ID, Provider: o.Provider, Price: o.Price, Expiry: o.Expiry, Rank: o.Rank, State: o.State,
		CreatedAt: o.CreatedAt, ClosedAt: o.ClosedAt}
}

// chainEventJSON is the data of result and settled events: the chain event
// as the indexer decoded it (payload: resultHash and resultURI of
// ResultSubmitted, payout {protocolFee, creatorAmount, providerAmount,
// clientRefund} of JobSettled and JobDisputeResolved).
type chainEventJSON struct {
	Event       string          `json:"event"`
	BlockNumber uint64          `json:"block_number"`
	LogIndex    uint32          `json:"log_index"`
	TxHash      gpumarket.Hash  `json:"tx_hash"`
	BlockTime   time.Time       `json:"block_time"`
	Payload     json.RawMessage `json:"payload"`
}

func chainEventOut(e *service.JobChainEvent) chainEventJSON {
	return chainEventJSON{Event: e.Name, BlockNumber: e.Block, LogIndex: e.LogIndex, TxHash: e.TxHash, BlockTime: e.BlockTime, Payload: e.Payload}
}

// jobKey names a job across chains.
type jobKey struct {
	chain uint64
	id    gpumarket.JobID
}

// eventHub fans the process's one LISTEN connection out to the streams:
// each subscriber has a wake channel of capacity 1 (a pending wake
// absorbs later ones), and counts of open streams bound them per client
// and overall.
type eventHub struct {
	mu       sync.Mutex
	subs     map[jobKey]map[chan struct{}]struct{}
	perIP    map[string]int
	open     int
	maxPerIP int
	maxOpen  int
	stopped  chan struct{} // closed when RunEvents returns: streams end (a server shutdown does not cancel them)
	stopOnce sync.Once
}

func newEventHub(perIP, total int) *eventHub {
	return &eventHub{subs: map[jobKey]map[chan struct{}]struct{}{}, perIP: map[string]int{}, maxPerIP: perIP, maxOpen: total,
		stopped: make(chan struct{})}
}

// acquire takes a stream slot for caller; an httpError (429 over the
// per-client cap, 503 over the total) when none is free.
func (h *eventHub) acquire(caller string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perIP[caller] >= h.maxPerIP {
		return &httpError{status: http.StatusTooManyRequests, retryAfter: 5 * time.Second,
			msg: fmt.Sprintf("too many status streams from this address: at most %d at once", h.maxPerIP)}
	}
	if h.open >= h.maxOpen {
		return &httpError{status: http.StatusServiceUnavailable, retryAfter: 5 * time.Second,
			msg: fmt.Sprintf("the matcher serves at most %d status streams at once: poll GET /v1/jobs/{chainId}/{jobId}", h.maxOpen)}
	}
	h.perIP[caller]++
	h.open++
	return nil
}

func (h *eventHub) release(caller string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perIP[caller]--; h.perIP[caller] <= 0 {
		delete(h.perIP, caller)
	}
	h.open--
}

func (h *eventHub) subscribe(k jobKey) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[k] == nil {
		h.subs[k] = map[chan struct{}]struct{}{}
	}
	h.subs[k][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[k], ch)
		if len(h.subs[k]) == 0 {
			delete(h.subs, k)
		}
		h.mu.Unlock()
	}
}

// notify wakes the streams of the jobs a gpumarket_jobs payload names.
func (h *eventHub) notify(payload []byte) {
	var n struct {
		ChainID uint64   `json:"chain_id"`
		JobIDs  []uint64 `json:"job_ids"`
	}
	if json.Unmarshal(payload, &n) != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range n.JobIDs {
		for ch := range h.subs[jobKey{n.ChainID, gpumarket.JobID(id)}] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// streams returns the number of open status streams.
func (h *eventHub) streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open
}

// RunEvents listens on service.NotifyChannel through notifier (one
// connection for the whole process) and wakes the status streams of the
// jobs each notification names, until ctx ends (a normal return). A failed
// connection is retried every 5 s; meanwhile streams fall back to their
// periodic re-read. When it returns, every open stream ends (so that a
// server shutdown is not held up by them).
func (s *Server) RunEvents(ctx context.Context, notifier service.Notifier) error {
	defer s.events.stopOnce.Do(func() { close(s.events.stopped) })
	for {
		err := notifier.Listen(ctx, service.NotifyChannel, s.events.notify)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("status stream listener failed; streams poll until it is back", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
		}
	}
}

// EventStreams returns how many status streams are open.
func (s *Server) EventStreams() int { return s.events.streams() }

// getJobEvents streams a job's status (see the file comment).
func (s *Server) getJobEvents(w http.ResponseWriter, r *http.Request) error {
	chain, id, err := parseJobPath(r)
	if err != nil {
		return err
	}
	var cur eventCursor
	resume := false
	if v := r.Header.Values("Last-Event-ID"); len(v) > 0 {
		if len(v) > 1 {
			return badRequest("Last-Event-ID given %d times", len(v))
		}
		if cur, err = parseEventCursor(v[0]); err != nil {
			return err
		}
		resume = true
	}
	caller := callerOf(r)
	if err := s.events.acquire(caller); err != nil {
		return err
	}
	defer s.events.release(caller)
	wake, unsubscribe := s.events.subscribe(jobKey{chain, id})
	defer unsubscribe()
	ctx := r.Context()
	readAt := func(block uint64, log uint32) (service.JobView, service.JobActivity, error) {
		snap, err := s.activity.read(ctx, chain, service.ActivityQuery{JobID: id, FromBlock: block, FromLog: log, AfterOffer: min(cur.offer, cur.lapse)})
		if err == nil {
			err = snap.Err
		}
		return snap.View, snap.Activity, err
	}
	read := func() (service.JobView, service.JobActivity, error) {
		v, a, err := readAt(cur.block, cur.log)
		if err != nil || !reorgedUnder(cur, a) {
			return v, a, err
		}
		// The block under the cursor was replaced: send the job's chain
		// events again from its start (see the file comment).
		s.log.Debug("status stream rewinds after a reorg", "chain_id", chain, "job_id", id, "block", cur.block)
		cur.block, cur.log, cur.sub, cur.fork = 0, 0, 0, 0
		return readAt(0, 0)
	}
	v, a, err := read()
	if err != nil {
		return err // before any byte: a 404 for an unknown job
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // the server's read timeout would cancel the stream
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	var evs []sseEvent
	if resume {
		evs = nextEvents(cur, v, a)
	} else {
		c := currentCursor(v, a)
		evs = []sseEvent{{c, "state", jobOut(v)}}
		cur = c
		evs = append(evs, nextEvents(cur, v, service.JobActivity{})...) // final, if it is
	}
	var buf bytes.Buffer
	send := func(evs []sseEvent, ping bool) (final bool, err error) {
		buf.Reset()
		for _, e := range evs {
			data, err := json.Marshal(e.data)
			if err != nil {
				return false, err
			}
			fmt.Fprintf(&buf, "id: %s\nevent: %s\ndata: %s\n\n", e.id, e.typ, data)
			cur = e.id
			final = final || e.typ == "final"
		}
		if ping {
			buf.WriteString(": ping\n\n")
		}
		if buf.Len() == 0 {
			return final, nil
		}
		_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.EventWriteTimeout))
		if _, err := w.Write(buf.Bytes()); err != nil {
			return final, err
		}
		return final, rc.Flush()
	}
	w.WriteHeader(http.StatusOK)
	final, err := send(evs, len(evs) == 0)
	beat := time.NewTicker(s.cfg.EventHeartbeat)
	defer beat.Stop()
	for err == nil && !final {
		ping := false
		select {
		case <-ctx.Done():
			return nil
		case <-s.events.stopped:
			return nil
		case <-wake:
		case <-beat.C:
			ping = true
		}
		var v service.JobView
		var a service.JobActivity
		if v, a, err = read(); err != nil {
			break
		}
		final, err = send(nextEvents(cur, v, a), ping)
	}
	if err != nil && ctx.Err() == nil {
		s.log.Debug("status stream ended", "chain_id", chain, "job_id", id, "err", err)
	}
	return nil // the response has started: nothing more to write
}

// parseJobPath parses {chainId} and {jobId}.
func parseJobPath(r *http.Request) (uint64, gpumarket.JobID, error) {
	if err := checkQuery(r.URL.Query()); err != nil {
		return 0, 0, err
	}
	chain, err := strconv.ParseUint(r.PathValue("chainId"), 10, 64)
	if err != nil || chain == 0 {
		return 0, 0, badRequest("chain id %q is not a positive decimal integer", echo(r.PathValue("chainId")))
	}
	id, err := gpumarket.ParseJobID(r.PathValue("jobId"))
	return chain, id, err
}
