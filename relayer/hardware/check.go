package hardware

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/gpumarket/gpumarket"
)

// CheckReportFile is the name, in the relayer's data dir, of the report
// `gpumarket relayer check` saves and `relayer register` attaches.
const CheckReportFile = "check.json"

// maxCheckReportBytes bounds a saved check report.
const maxCheckReportBytes = 256 << 10

// CheckReport is what `gpumarket relayer check` measured, saved as JSON in
// the data dir (CheckReportFile) when every engine passed:
//
//	{"checked_at": 1796300000, "results": [{"engine": "blender", "kind": "render",
//	  "models": ["cycles-4.1"], "metric": "frames_per_second", "value_milli": 1014,
//	  "measured_at": 1796300000, "detail": "8 frames of the test scene …"}]}
//
// A result without models stands for every model of its kind that the
// profile lists.
type CheckReport struct {
	CheckedAt int64         `json:"checked_at"`
	Results   []CheckResult `json:"results"`
}

// CheckResult is one engine's measured benchmark.
type CheckResult struct {
	Engine     string            `json:"engine"`
	Kind       gpumarket.JobKind `json:"kind"`
	Models     []string          `json:"models,omitempty"`
	Metric     string            `json:"metric"`
	ValueMilli uint64            `json:"value_milli"`
	MeasuredAt int64             `json:"measured_at"`
	Detail     string            `json:"detail,omitempty"`
}

// SaveCheckReport writes r to path (0600), replacing it whole: a reader
// never sees half a report. It returns the error of the failed write.
func SaveCheckReport(path string, r *CheckReport) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("save check report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save check report: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".check-*.json")
	if err != nil {
		return fmt.Errorf("save check report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save check report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save check report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save check report: %w", err)
	}
	return nil
}

// LoadCheckReport reads the report saved at path. A missing file is an
// error wrapping os.ErrNotExist; a malformed one is EINVALID.
func LoadCheckReport(path string) (*CheckReport, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load check report: %w", err)
	}
	if len(b) > maxCheckReportBytes {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "check report %s: %d bytes, limit %d", path, len(b), maxCheckReportBytes)
	}
	var r CheckReport
	if err := gpumarket.DecodeStrict(bytes.NewReader(b), maxCheckReportBytes, "check report", &r); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "check report %s: %s", path, gpumarket.ErrorMessage(err))
	}
	return &r, nil
}

// AttachBenchmarks puts the report's figures into the profile's
// benchmarks: one per result and model the profile serves (a result
// without models: every model of its kind), replacing a declared figure of
// the same kind and model. Figures for models the profile does not serve
// are left out. It returns how many it attached; the attestation's
// Validate still bounds the total (gpumarket.MaxBenchmarks).
func (p *Profile) AttachBenchmarks(r *CheckReport) int {
	n := 0
	for _, res := range r.Results {
		var served []string
		for _, c := range p.Capabilities {
			if c.Kind == res.Kind {
				served = c.Models
			}
		}
		models := res.Models
		if len(models) == 0 {
			models = served
		}
		for _, m := range models {
			if !slices.Contains(served, m) {
				continue
			}
			b := gpumarket.Benchmark{Kind: res.Kind, Model: m, Metric: res.Metric, ValueMilli: res.ValueMilli, MeasuredAt: res.MeasuredAt}
			p.Benchmarks = slices.DeleteFunc(p.Benchmarks, func(o gpumarket.Benchmark) bool { return o.Kind == b.Kind && o.Model == b.Model })
			p.Benchmarks = append(p.Benchmarks, b)
			n++
		}
	}
	return n
}
