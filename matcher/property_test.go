package matcher

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

// TestDecideMatchesFullSort compares Decide's top-k with a naive reference:
// filter every candidate with Check, score with ScoreOf, sort everything.
func TestDecideMatchesFullSort(t *testing.T) {
	cands := benchMarket(3000, false)
	idx := NewIndex(cands)
	for _, k := range []int{1, 3, 10} {
		d := newDecider(t, func(p *Params) { p.TopK = k })
		p := d.Params()
		jobs := benchJobs(200, false)
		for i, req := range jobs {
			pool := idx.Candidates(req.Spec.Kind, req.Spec.Model)
			if i%10 == 0 && len(pool) > 0 { // some clients name a provider
				job := *req.Job
				job.PreferredProvider = pool[i%len(pool)].Provider
				req = &Request{Job: &job, Spec: req.Spec}
			}
			dec, err := d.Decide(req, pool, testNow, DecideOptions{})
			if err != nil {
				t.Fatal(err)
			}
			viaIndex, err := d.DecideIndexed(req, idx, testNow, DecideOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !sameDecision(dec, viaIndex) {
				t.Fatalf("job %d: DecideIndexed = %+v, Decide = %+v", req.Job.ID, viaIndex, dec)
			}
			type ref struct {
				c    *Candidate
				cost *big.Int
			}
			var el []ref
			var minCost *big.Int
			for _, c := range pool {
				if rej, cost := Check(req, c, &p, testNow); rej.Reason == Eligible {
					el = append(el, ref{c, cost})
					if minCost == nil || cost.Cmp(minCost) < 0 {
						minCost = cost
					}
				}
			}
			var want []Ranked
			for _, e := range el {
				want = append(want, Ranked{Provider: e.c.Provider, Cost: e.cost, Slots: e.c.Attestation.Slots, Score: ScoreOf(e.c, e.cost, minCost, &p)})
			}
			sort.Slice(want, func(i, j int) bool {
				a, b := want[i], want[j]
				if a.Score.Total != b.Score.Total {
					return a.Score.Total > b.Score.Total
				}
				if c := a.Cost.Cmp(b.Cost); c != 0 {
					return c < 0
				}
				return bytes.Compare(a.Provider[:], b.Provider[:]) < 0
			})
			if len(want) > k {
				want = want[:k]
			}
			if dec.Eligible != len(el) || len(dec.Ranked) != len(want) {
				t.Fatalf("job %d: Decide eligible %d ranked %d, reference %d %d", req.Job.ID, dec.Eligible, len(dec.Ranked), len(el), len(want))
			}
			for i := range want {
				g, w := dec.Ranked[i], want[i]
				if g.Provider != w.Provider || g.Cost.Cmp(w.Cost) != 0 || g.Score != w.Score {
					t.Fatalf("job %d k=%d: Ranked[%d] = %+v, want %+v", req.Job.ID, k, i, g, w)
				}
			}
		}
	}
}

// TestBookRandomOperations drives the book with random offers, accepts,
// finishes and expiries, and checks after every step that no provider holds
// more jobs than its slots and that InFlight equals the live offers plus
// accepted jobs.
func TestBookRandomOperations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	clock := &fakeClock{testNow}
	b := newBook(t, clock)
	slots := map[gpumarket.Address]uint32{}
	for i := 1; i <= 8; i++ {
		slots[addr(i)] = uint32(1 + i%3)
	}
	accepted := map[gpumarket.JobID]gpumarket.Address{}
	var next gpumarket.JobID
	for step := 0; step < 5000; step++ {
		switch op := rng.IntN(10); {
		case op < 5: // offer a new job to a random ranking
			next++
			d := &Decision{JobID: next}
			for _, i := range rng.Perm(8)[:1+rng.IntN(4)] {
				p := addr(i + 1)
				d.Ranked = append(d.Ranked, Ranked{Provider: p, Cost: big.NewInt(1), Slots: slots[p]})
			}
			_, _ = b.Offer(d)
		case op < 7: // the chain reports an accept of a pending job
			for id := range b.pending {
				o, _ := b.Pending(id)
				if err := b.Accepted(id, o.Assignment.Provider); err != nil {
					t.Fatal(err)
				}
				accepted[id] = o.Assignment.Provider
				break
			}
		case op < 8: // a job finishes
			for id := range accepted {
				b.Finished(id)
				delete(accepted, id)
				break
			}
		default:
			clock.advance(time.Duration(rng.IntN(90)) * time.Second)
			b.Expire()
		}
		count := map[gpumarket.Address]uint32{}
		for _, pj := range b.pending {
			count[pj.offer.Assignment.Provider]++
		}
		for _, p := range b.accepted {
			count[p]++
		}
		for p, s := range slots {
			if b.InFlight(p) != count[p] || b.InFlight(p) > s {
				t.Fatalf("step %d: InFlight(%s) = %d, offers+accepted %d, slots %d", step, p, b.InFlight(p), count[p], s)
			}
		}
	}
}

// TestFairRateProperties: over random markets, the fair rate lies between
// the lowest and highest unflagged price, inside its band, and the reference
// is never flagged.
func TestFairRateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	p := DefaultOracleParams()
	for trial := 0; trial < 500; trial++ {
		var pts []PricePoint
		for i := range 1 + rng.IntN(30) {
			pts = append(pts, PricePoint{
				Provider: addr(i + 1),
				Price:    big.NewInt(int64(rng.IntN(1_000_000))),
				Stake:    new(big.Int).Mul(big.NewInt(int64(rng.IntN(20))), e18),
				Volume:   uint64(rng.IntN(3)) * uint64(rng.IntN(2_000_000)),
				LastSeen: testNow.Add(-time.Duration(rng.IntN(400)) * time.Second),
			})
		}
		r, err := FairRate(llmKey, pts, nil, testNow, &p)
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		flagged := map[gpumarket.Address]bool{}
		for _, f := range r.Flagged {
			flagged[f.Provider] = true
		}
		var lo, hi *big.Int
		for _, pt := range pts {
			if flagged[pt.Provider] || testNow.Sub(pt.LastSeen) > p.StaleAfter {
				continue
			}
			if lo == nil || pt.Price.Cmp(lo) < 0 {
				lo = pt.Price
			}
			if hi == nil || pt.Price.Cmp(hi) > 0 {
				hi = pt.Price
			}
		}
		if lo == nil || r.Fair.Cmp(lo) < 0 || r.Fair.Cmp(hi) > 0 || r.Low.Cmp(r.Fair) > 0 || r.High.Cmp(r.Fair) < 0 {
			t.Fatalf("trial %d: fair %v band [%v, %v], unflagged prices [%v, %v]", trial, r.Fair, r.Low, r.High, lo, hi)
		}
		for _, f := range r.Flagged {
			if f.Price.Cmp(r.Reference) == 0 {
				t.Fatalf("trial %d: the reference price %v was flagged", trial, r.Reference)
			}
		}
	}
}

func sameDecision(a, b *Decision) bool {
	if a.Considered != b.Considered || a.Eligible != b.Eligible || a.rejected != b.rejected || len(a.Ranked) != len(b.Ranked) {
		return false
	}
	for i := range a.Ranked {
		x, y := a.Ranked[i], b.Ranked[i]
		if x.Provider != y.Provider || x.Cost.Cmp(y.Cost) != 0 || x.Score != y.Score || x.Slots != y.Slots {
			return false
		}
	}
	return true
}

// TestIndexStaleAttestation: a candidate whose attestation was replaced after
// indexing is filtered on its current attestation, not the indexed one.
func TestIndexStaleAttestation(t *testing.T) {
	c := candidate(1, 1000)
	idx := NewIndex([]*Candidate{c})
	d := newDecider(t, nil)
	req := llmRequest(1, 1_000_000)
	if dec, err := d.DecideIndexed(req, idx, testNow, DecideOptions{}); err != nil || dec.Eligible != 1 {
		t.Fatalf("DecideIndexed = %+v, %v, want one eligible", dec, err)
	}
	replaced := llmAttestation(c.Provider, 1000)
	replaced.Capabilities[0].Models = []string{"another-model"}
	c.Attestation = replaced
	dec, err := d.DecideIndexed(req, idx, testNow, DecideOptions{})
	if err != nil || dec.Eligible != 0 || dec.RejectedFor(RejectModel) != 1 {
		t.Errorf("DecideIndexed(after the attestation changed) = %+v, %v, want a model rejection", dec, err)
	}
	if got := idx.Candidates(gpumarket.JobKindLLM, "llama-3-8b"); len(got) != 1 || len(idx.All()) != 1 {
		t.Errorf("Candidates = %v, All = %v", got, idx.All())
	}
}
