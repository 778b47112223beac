package matcher

import "github.com/gpumarket/gpumarket"

type indexKey struct {
	kind  gpumarket.JobKind
	model string
}

// Index groups candidates by the (kind, model) pairs their attestations
// serve, so that a decision looks only at providers that could run the job.
// It holds the caller's *Candidate pointers: the owner keeps their mutable
// fields (Status, InFlight, LoadBps, …) current and rebuilds the index when
// attestations change. It is read-only after NewIndex and safe for
// concurrent reads. Attestations are treated as immutable: a new
// attestation is a new *Attestation, which DecideIndexed notices (it then
// looks the capability up again); editing an indexed attestation in place is
// not supported.
type Index struct {
	byKey   map[indexKey][]*Candidate
	entries map[indexKey][]indexEntry
	all     []*Candidate
}

// indexEntry remembers which attestation and capability put a candidate in
// a bucket, so that DecideIndexed can skip looking them up again.
type indexEntry struct {
	c     *Candidate
	att   *gpumarket.Attestation
	capab *gpumarket.Capability
}

// NewIndex indexes candidates; those without an attestation are kept only in
// All.
func NewIndex(candidates []*Candidate) *Index {
	x := &Index{byKey: map[indexKey][]*Candidate{}, entries: map[indexKey][]indexEntry{}, all: candidates}
	for _, c := range candidates {
		a := c.Attestation
		if a == nil {
			continue
		}
		for i := range a.Capabilities {
			capab := &a.Capabilities[i]
			for _, m := range capab.Models {
				k := indexKey{capab.Kind, m}
				x.byKey[k] = append(x.byKey[k], c)
				x.entries[k] = append(x.entries[k], indexEntry{c: c, att: a, capab: capab})
			}
		}
	}
	return x
}

// Candidates returns the candidates that serve model for kind. The caller
// must not modify the slice.
func (x *Index) Candidates(kind gpumarket.JobKind, model string) []*Candidate {
	return x.byKey[indexKey{kind, model}]
}

// All returns every indexed candidate.
func (x *Index) All() []*Candidate { return x.all }
