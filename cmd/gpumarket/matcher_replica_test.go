package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestMatcherRunReadsReplica runs `matcher run --read-database-url` against
// a real hot standby (pg_basebackup -R): /readyz and /metrics show the
// replica and its lag; with the standby's replay paused, a spec posted (a
// write: on the primary) is read back at once (from the primary), the
// standby does not have it, and the lag shows in /readyz; the replica's
// password never appears in the output.
func TestMatcherRunReadsReplica(t *testing.T) {
	rep := pgtest.NewReplicated(t)
	ssql := postgrestest.Open(t, rep.StandbyURL)
	const readPassword = "replica-hunter2" // trust authentication ignores it
	u, err := url.Parse(rep.StandbyURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("postgres", readPassword)
	const password = "correct horse battery"
	ks := writeKeystore(t, password)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	var runErr error
	var out string
	go func() {
		defer close(done)
		out, runErr = runMatcherCLI(ctx, t, "run", "--database-url", rep.PrimaryURL, "--read-database-url", u.String(), "--read-max-lag", "200ms",
			"--chain-id", "31337", "--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2",
			"--keystore", ks, "--password-file", pwFile, "--listen", addr, "--staking-token", "0x00000000000000000000000000000000000000a3",
			"--reservation-bps", "1000", "--reservation-floor", "10", "--reservation-cap", "500", "--data-dir", t.TempDir())
	}()
	get := func(path string) (int, []byte) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	var ready readyzBody
	waitReady := func(what string, cond func(readyzBody) bool) {
		t.Helper()
		for end := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, b := get("/readyz")
			ready = readyzBody{}
			if code == http.StatusOK && json.Unmarshal(b, &ready) == nil && ready.Replica != nil && cond(ready) {
				return
			}
			if time.Now().After(end) {
				t.Fatalf("waiting for /readyz to show %s: last %d %s", what, code, b)
			}
		}
	}
	waitReady("reads on the replica", func(b readyzBody) bool { return b.Replica.InRecovery && b.Replica.ReadsOnReplica })
	if code, b := get("/metrics"); code != http.StatusOK || !strings.Contains(string(b), "gpumarket_matcher_replica_lag_seconds") ||
		!strings.Contains(string(b), "gpumarket_matcher_replica_reads_on_replica 1") {
		t.Errorf("GET /metrics = %d without the replica gauges", code)
	}

	ssql.Exec(`SELECT pg_wal_replay_pause()`)
	spec := []byte(`{"kind":"llm","model":"llama-3-8b","inputs":[{"name":"prompt","uri":"data:,hello"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":4000,"output_tokens":0}}}`)
	resp, err := http.Post("http://"+addr+"/v1/specs", "application/json", strings.NewReader(string(spec)))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/specs = %v %v, want 201", resp, err)
	}
	resp.Body.Close()
	h := service.SpecHash(spec)
	if code, _ := get(fmt.Sprintf("/v1/specs/%s", h)); code != http.StatusOK {
		t.Errorf("GET /v1/specs/%s right after the upload = %d, want 200 (from the primary)", h, code)
	}
	if n := ssql.Count(`SELECT count(*) FROM job_specs WHERE spec_hash = $1`, h[:]); n != 0 {
		t.Fatalf("the paused standby holds the spec: the test shows nothing")
	}
	waitReady("the lag", func(b readyzBody) bool { return b.Replica.LagBytes > 0 && !b.Replica.ReadsOnReplica })
	ssql.Exec(`SELECT pg_wal_replay_resume()`)
	waitReady("the replica caught up", func(b readyzBody) bool { return b.Replica.ReadsOnReplica })

	cancel()
	<-done
	if runErr != nil {
		t.Errorf("matcher run after cancel = %v, want nil", runErr)
	}
	if strings.Contains(out, readPassword) || strings.Contains(out, password) {
		t.Errorf("a password appears in the output")
	}
	if !strings.Contains(out, "reads go to the replica") {
		t.Errorf("output lacks the replica's log line:\n%s", out)
	}
}
