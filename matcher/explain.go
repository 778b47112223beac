package matcher

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// Passed are the providers that passed every hard filter yet were not
// offered a job, as the caller that places offers counts them.
type Passed struct {
	AlreadyOffered int // offered the job before, and let the offer lapse
	StakeShort     int // their free stake cannot back the job's reservation
	Full           int // every slot taken by offers made in this batch
}

// Explain says in plain words why no candidate can take req: for each hard
// filter, in the order they run, how many providers it excluded, with the
// nearest fix where one exists (the lowest price that would be accepted,
// the models that are served for the kind, the most VRAM offered), and the
// providers that passed but were passed over (passed). Amounts are in base
// units of the job's payment token (its decimals are not known here). It
// returns "" when nothing excluded anyone.
func Explain(req *Request, cands []*Candidate, p *Params, now time.Time, passed Passed) string {
	spec, job := req.Spec, req.Job
	if len(cands) == 0 {
		return "no provider is registered, attested and known to this matcher"
	}
	var counts [numReasons]int
	var minCost *big.Int
	var maxVRAM, maxGPUs uint32
	fastestMs := ^uint64(0)         // of the providers the deadline excluded
	kindModels := map[string]bool{} // served for the job's kind, by anyone
	modelServers := 0               // providers serving the job's model, whatever else excludes them
	for _, c := range cands {
		reason, _ := check(req, c, p, now.Unix()) // no detail formatting: this runs over every candidate
		counts[reason]++
		a := c.Attestation
		if a == nil {
			continue
		}
		if capab := a.Capability(spec.Kind); capab != nil {
			for _, m := range capab.Models {
				kindModels[m] = true
			}
			if capab.Supports(spec.Model) {
				modelServers++
			}
		}
		switch reason {
		case RejectPrice:
			if cost := Cost(a.Capability(spec.Kind), spec.Requirements.Estimate); cost != nil && (minCost == nil || cost.Cmp(minCost) < 0) {
				minCost = cost
			}
		case RejectVRAM:
			maxVRAM = max(maxVRAM, a.VRAMMiB)
		case RejectGPUCount:
			maxGPUs = max(maxGPUs, a.GPUCount)
		case RejectDeadline:
			if ms, ok := EstimatedRunMs(a, spec); ok {
				fastestMs = min(fastestMs, ms)
			}
		}
	}
	providers := func(n int) string {
		if n == 1 {
			return "1 provider"
		}
		return fmt.Sprintf("%d providers", n)
	}
	var parts []string
	// add appends "N provider(s) <verb> ..." with the verb (one|many) agreeing.
	add := func(n int, verbs, format string, args ...any) {
		if n > 0 {
			one, many, _ := strings.Cut(verbs, "|")
			verb := many
			if n == 1 {
				verb = one
			}
			parts = append(parts, providers(n)+" "+verb+fmt.Sprintf(format, args...))
		}
	}
	add(counts[RejectNotPreferred], "is|are", " excluded: the job names provider %s", job.PreferredProvider)
	add(counts[RejectStatus], "is|are", " not online")
	add(counts[RejectNoAttestation]+counts[RejectAttestationExpired], "has|have", " no valid attestation")
	add(counts[RejectToken], "prices|price", " in another token than the job's %s", job.Token)
	add(counts[RejectCapability], "does|do", " not offer kind %s", spec.Kind)
	if counts[RejectModel] > 0 {
		if modelServers == 0 && len(kindModels) > 0 {
			models := make([]string, 0, len(kindModels))
			for m := range kindModels {
				models = append(models, m)
			}
			slices.Sort(models)
			more := ""
			if len(models) > 8 {
				more, models = fmt.Sprintf(" and %d more", len(models)-8), models[:8]
			}
			parts = append(parts, fmt.Sprintf("no provider serves model %q; these are served for kind %s: %s%s", spec.Model, spec.Kind, strings.Join(models, ", "), more))
		} else {
			add(counts[RejectModel], "does|do", " not serve model %q", spec.Model)
		}
	}
	add(counts[RejectGPUCount], "has|have", " fewer than %d GPUs (the most offered is %d)", spec.Requirements.GPUCount, maxGPUs)
	add(counts[RejectVRAM], "has|have", " less than %d MiB of VRAM per GPU (the most offered is %d MiB)", spec.Requirements.MinVRAMMiB, maxVRAM)
	add(counts[RejectStake], "stakes|stake", " less than the minimum %v", p.MinStake)
	add(counts[RejectCapacity], "has|have", " every slot taken (retry later)")
	if n := counts[RejectPrice]; n > 0 {
		verb := "serve"
		if n == 1 {
			verb = "serves"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s %s for this job's estimate at ≥ %v (token base units); your max payment allows %v: raise it to at least %v",
			providers(n), verb, spec.Kind, quoted(spec.Model), minCost, job.MaxPayment, minCost))
	}
	if n := counts[RejectDeadline]; n > 0 {
		left := max(int64(job.Deadline)-now.Unix(), 0)
		add(n, "cannot|cannot", " finish it before the deadline by their measured benchmark (the fastest of them needs about %s for this job's estimate, the deadline is in %ds): extend the deadline or split the job",
			formatMs(fastestMs), left)
	}
	add(passed.AlreadyOffered, "was|were", " offered the job and let the offer lapse")
	add(passed.StakeShort, "lacks|lack", " the free stake to back the job")
	add(passed.Full, "has|have", " no slot left after this round's offers (retry later)")
	if len(parts) == 0 {
		return ""
	}
	return "no provider can take the job: " + strings.Join(parts, "; ")
}

func quoted(model string) string { return fmt.Sprintf("model %q", model) }
