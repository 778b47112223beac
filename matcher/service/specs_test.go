package service_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestCollectSpecs checks the spec garbage collection: after the grace
// period, specs no on-chain job references are deleted (in batches) and
// referenced ones are kept, whatever their age; specs inside the grace
// period are kept.
func TestCollectSpecs(t *testing.T) {
	e := matchertest.New(t)
	s := e.NewService("gc", func(c *service.Config) { c.SpecGCGrace, c.SpecGCBatch = time.Hour, 2 })
	referenced := e.UploadSpec(matchertest.SpecBody("kept", 1))
	e.AddJob(1, referenced, "ipfs://x", "1000000", nil)
	var orphans []string
	for i := range 5 {
		h := e.UploadSpec(matchertest.SpecBody(fmt.Sprintf("orphan-%d", i), 1))
		orphans = append(orphans, h.String())
	}
	e.Clock.Add(30 * time.Minute)
	young := e.UploadSpec(matchertest.SpecBody("young", 1))

	// Inside the grace period nothing goes.
	if n, err := s.CollectSpecs(e.Ctx); err != nil || n != 0 {
		t.Fatalf("CollectSpecs inside the grace period = %d, %v; want 0, nil", n, err)
	}
	e.Clock.Add(31 * time.Minute) // the first uploads are 61 minutes old
	n, err := s.CollectSpecs(e.Ctx)
	if err != nil || n != 5 {
		t.Fatalf("CollectSpecs after the grace period = %d, %v; want 5 (in batches of 2), nil", n, err)
	}
	if got := e.Count(`SELECT count(*) FROM job_specs WHERE spec_hash = $1`, referenced[:]); got != 1 {
		t.Errorf("referenced spec rows = %d, want 1 (kept forever)", got)
	}
	if got := e.Count(`SELECT count(*) FROM job_specs WHERE spec_hash = $1`, young[:]); got != 1 {
		t.Errorf("spec inside its grace period rows = %d, want 1", got)
	}
	if got := e.Count(`SELECT count(*) FROM job_specs`); got != 2 {
		t.Errorf("specs left = %d, want 2", got)
	}
	if code, _ := e.Do("GET", "/v1/specs/"+orphans[0], nil); code != 404 {
		t.Errorf("GET a collected spec = %d, want 404", code)
	}
	e.Clock.Add(365 * 24 * time.Hour)
	if n, err := s.CollectSpecs(e.Ctx); err != nil || n != 1 {
		t.Errorf("CollectSpecs a year later = %d, %v; want 1 (the young one), nil", n, err)
	}
	if got := e.Count(`SELECT count(*) FROM job_specs WHERE spec_hash = $1`, referenced[:]); got != 1 {
		t.Errorf("referenced spec a year later: rows = %d, want 1", got)
	}
}
