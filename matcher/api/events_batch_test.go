package api_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// jobEvent indexes event name of job at block n, log index = job id (so
// that jobs share blocks), setting its state.
func jobEvent(e *matchertest.Env, job, n int64, name, state string) {
	e.TB.Helper()
	indexJobEvent(e, indexedEvent{job: job, block: n, log: int32(job), name: name, payload: `{}`, update: "state = $11"}, state)
}

// TestJobsWithActivity: the batched read gives each query what the
// single-job reads give (the view as Job reads it, the events from its
// position, the offers above its offer id), for jobs asked twice, jobs
// without events or offers, and jobs that do not exist.
func TestJobsWithActivity(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Slots: 8, Price: 1000})
	e.Online(matchertest.ProvOpts{Slots: 8, Price: 1500})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 4; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000000", nil)
	}
	for id := int64(1); id <= 3; id++ {
		jobEvent(e, id, 10, "JobCreated", "open")
	}
	svc := e.NewService("m", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(time.Second)
	matchertest.Drain(t, e.Ctx, svc)
	e.Clock.Add(2 * time.Minute) // the first offers lapse; the runners-up are offered
	matchertest.Drain(t, e.Ctx, svc)
	jobEvent(e, 1, 11, "JobAccepted", "assigned")
	jobEvent(e, 2, 11, "JobCancelled", "cancelled")
	jobEvent(e, 1, 12, "ResultSubmitted", "submitted")

	qs := []service.ActivityQuery{
		{JobID: 1},
		{JobID: 1, FromBlock: 11, FromLog: 1, AfterOffer: 1}, // from its acceptance on, the first offer seen
		{JobID: 1, FromBlock: 12, FromLog: 2},                // after the result's log: nothing
		{JobID: 2, FromBlock: 11},
		{JobID: 3},
		{JobID: 4}, // no chain events
		{JobID: 999},
	}
	snaps, err := e.APIStore.JobsWithActivity(e.Ctx, matchertest.Chain, qs)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != len(qs) {
		t.Fatalf("%d snapshots for %d queries", len(snaps), len(qs))
	}
	offersSeen := 0
	for i, q := range qs {
		s := snaps[i]
		want, werr := e.APIStore.Job(e.Ctx, matchertest.Chain, q.JobID)
		if q.JobID == 999 {
			if gpumarket.ErrorCode(s.Err) != gpumarket.ENOTFOUND || gpumarket.ErrorCode(werr) != gpumarket.ENOTFOUND {
				t.Errorf("job 999: %v (Job: %v), want ENOTFOUND", s.Err, werr)
			}
			continue
		}
		if s.Err != nil || werr != nil {
			t.Fatalf("query %+v: %v / %v", q, s.Err, werr)
		}
		if !reflect.DeepEqual(s.View, want) {
			t.Errorf("query %+v: view\n%+v\nwant (Job)\n%+v", q, s.View, want)
		}
		// The activity is what the job's rows hold from q's position on.
		wantEvents := e.Count(`SELECT count(*) FROM job_events WHERE chain_id = $1 AND job_id = $2 AND (block_number, log_index) >= ($3, $4)`,
			matchertest.Chain, int64(q.JobID), int64(q.FromBlock), int64(q.FromLog))
		wantOffers := e.Count(`SELECT count(*) FROM assignments WHERE chain_id = $1 AND job_id = $2 AND id > $3`, matchertest.Chain, int64(q.JobID), q.AfterOffer)
		if int64(len(s.Activity.Chain)) != wantEvents || int64(len(s.Activity.Offers)) != wantOffers {
			t.Errorf("query %+v: %d events, %d offers; the tables hold %d and %d", q, len(s.Activity.Chain), len(s.Activity.Offers), wantEvents, wantOffers)
		}
		for j, ev := range s.Activity.Chain {
			if ev.Block < q.FromBlock || (ev.Block == q.FromBlock && ev.LogIndex < q.FromLog) || (j > 0 && ev.Block < s.Activity.Chain[j-1].Block) {
				t.Errorf("query %+v: event %d at %d/%d out of range or order", q, j, ev.Block, ev.LogIndex)
			}
			if ev.LogIndex != uint32(q.JobID) {
				t.Errorf("query %+v: an event of another job (log %d)", q, ev.LogIndex)
			}
		}
		for j, o := range s.Activity.Offers {
			if o.ID <= q.AfterOffer || (j > 0 && o.ID <= s.Activity.Offers[j-1].ID) {
				t.Errorf("query %+v: offer %d out of range or order", q, o.ID)
			}
		}
		offersSeen += len(s.Activity.Offers)
	}
	if offersSeen == 0 {
		t.Fatal("the matcher made no offers: the test checks nothing about them")
	}
	if got := snaps[0].View.Chain.State; got != gpumarket.JobStateSubmitted {
		t.Errorf("job 1 state %v, want submitted", got)
	}
	if n := len(snaps[2].Activity.Chain); n != 0 {
		t.Errorf("job 1 after its last log: %d events, want none", n)
	}
}

// TestJobEventsManyWatchers: watchers of many jobs woken by one
// notification (read in batches) each get their own job's offer.
func TestJobEventsManyWatchers(t *testing.T) {
	const jobs = 60
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Slots: jobs, Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= jobs; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000000", nil)
	}
	svc := e.NewService("m", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, _, c := eventServer(t, e, func(cfg *api.Config) { cfg.EventStreamsPerClient, cfg.EventStreams = 2*jobs, 2*jobs })
	type stream struct {
		evs  <-chan client.Event
		errs <-chan error
	}
	var streams []stream
	for id := 1; id <= jobs; id++ {
		for range 2 { // two watchers of each job
			evs, errs := c.Events(t.Context(), matchertest.Chain, gpumarket.JobID(id), "")
			expect(t, evs, errs, "state")
			streams = append(streams, stream{evs, errs})
		}
	}
	e.Clock.Add(time.Second)
	if n := matchertest.Drain(t, e.Ctx, svc); n == 0 {
		t.Fatal("the matcher offered nothing")
	}
	for i, s := range streams {
		got := expect(t, s.evs, s.errs, "offer", "state")
		if want := fmt.Sprintf(`"job_id":"%d"`, i/2+1); !strings.Contains(string(got[1].Data), want) {
			t.Fatalf("watcher %d: state %s, want job %d's", i, got[1].Data, i/2+1)
		}
	}
}
