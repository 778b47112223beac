package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/pgtest"
)

// TestBenchMatcherWatchers runs `bench matcher --watchers` as a user does
// (small): it prints the spreads, then each pair's runs, and the watchers
// of a run received their first events and the ones the matching caused.
func TestBenchMatcherWatchers(t *testing.T) {
	const watchers = 25
	env := map[string]string{"GPUMARKET_DATABASE_URL": pgtest.URL(t)}
	code, out, errOut := runCLI(t, env, "bench", "matcher", "--providers", "40", "--jobs", "400", "--runs", "2", "--instances", "1",
		"--watchers", strconv.Itoa(watchers))
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "matcher instances=1 runs=2") || !strings.Contains(out, "status-stream watchers=25 pairs=2: assignments/s without") {
		t.Fatalf("stdout lacks the spread or the watchers' summary:\n%s", out)
	}
	pair := regexp.MustCompile(`(?m)^pair (\d)/2 watchers=(\d+) assignments/s=(\d+) events=(\d+) cpu: process ([\d.]+) s \+ postgres ([\d.]+) s`)
	runs := pair.FindAllStringSubmatch(out, -1)
	if len(runs) != 4 {
		t.Fatalf("%d pair lines, want 4 (2 pairs of 2 runs):\n%s", len(runs), out)
	}
	for _, r := range runs {
		n, _ := strconv.Atoi(r[2])
		events, _ := strconv.Atoi(r[4])
		rate, _ := strconv.Atoi(r[3])
		if cpu, _ := strconv.ParseFloat(r[5], 64); cpu <= 0 {
			t.Errorf("run %q: no CPU time for this process", r[0])
		}
		switch {
		case rate == 0:
			t.Errorf("run %q matched nothing", r[0])
		case n == 0 && events != 0:
			t.Errorf("run %q: events without watchers", r[0])
		case n == watchers && events <= watchers:
			t.Errorf("run %q: %d events for %d watchers, want more than their first (the offers the matching made)", r[0], events, watchers)
		case n != 0 && n != watchers:
			t.Errorf("run %q: %d watchers", r[0], n)
		}
	}
	// The pairs alternate their order.
	if runs[0][2] != "0" || runs[2][2] != strconv.Itoa(watchers) {
		t.Errorf("pair order %s,%s then %s,%s; want 0 first, then the watchers first", runs[0][2], runs[1][2], runs[2][2], runs[3][2])
	}
}
