package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/pgtest"
)

// TestBenchIndexer runs `gpumarket bench indexer` from the built binary as
// a user does, small: it generates a chain, backfills it with its own
// `indexer run` beside both raw limits, measures head latency, and prints
// every figure the README names.
func TestBenchIndexer(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "gpumarket")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin, "bench", "indexer", "--database-url", pgtest.URL(t), "--events", "1200", "--jobs-per-block", "4",
		"--runs", "2", "--range-width", "100", "--latency-txs", "12", "--block-time", "300ms", "--block-jitter", "50ms",
		"--state-file", filepath.Join(dir, "state.json"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bench indexer: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"(a) backfill, 2 runs, ", "(b) raw limit, 2 runs: min/median/max ", "(b') raw limit pipelined, 2 runs: min/median/max ",
		"(c) a/b per run: min/median/max ", "(c') a/b' per run: min/median/max ", "    CPU: backfill client ", "head latency of gpumarket indexer run "} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	runs := regexp.MustCompile(`(?m)^  run (\d): backfill (\d+) events/s, raw (\d+) events/s, a/b ([\d.]+); raw pipelined (\d+) events/s, a/b' ([\d.]+)`).FindAllStringSubmatch(text, -1)
	if len(runs) != 2 {
		t.Fatalf("%d run lines, want 2:\n%s", len(runs), text)
	}
	for _, r := range runs {
		for _, f := range []string{r[2], r[3], r[5]} {
			if n, _ := strconv.Atoi(f); n <= 0 {
				t.Errorf("run line %q has a zero rate", r[0])
			}
		}
	}
	if p99 := regexp.MustCompile(`p99 ([\d.]+)(µs|ms|s)`).FindStringSubmatch(text); p99 == nil {
		t.Errorf("no head-latency p99 in:\n%s", text)
	}
	if t.Failed() {
		t.Logf("output:\n%s", text)
	}
}
