package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
)

func writeKeystore(t *testing.T, password string) string {
	t.Helper()
	key, _, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b, err := keys.EncryptKeystoreKey(key, password)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "matcher.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runSubcommand runs the command newCommand builds on the default
// configuration with args, returning what it wrote to stderr then stdout.
func runSubcommand(ctx context.Context, t *testing.T, newCommand func(*Config, io.Writer, io.Writer) *cli.Command, args ...string) (string, error) {
	t.Helper()
	cfg := DefaultConfig()
	var out, errOut bytes.Buffer
	cmd := newCommand(&cfg, &out, &errOut)
	err := cmd.Run(ctx, append([]string{cmd.Name}, args...))
	return errOut.String() + out.String(), err
}

func runMatcherCLI(ctx context.Context, t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runSubcommand(ctx, t, matcherCommand, args...)
}

func TestMatcherConfigErrors(t *testing.T) {
	dsn := pgtest.URL(t)
	ks := writeKeystore(t, "right-password")
	const secret = "sekrit-wrong-pw"
	addrs := append([]string{"--chain-id", "31337", "--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2"},
		reservationFlags...)
	// The matcher's password file is held to the relayer's policy.
	openPW := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(openPW, []byte("right-password\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing key", append([]string{"run", "--database-url", dsn}, addrs...), "--keystore (GPUMARKET_MATCHER_KEYSTORE): required"},
		{"no reservation rule without a deployment file", []string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x", "--chain-id", "31337",
			"--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2"},
			"--reservation-floor (GPUMARKET_MATCHER_RESERVATION_FLOOR): required"},
		{"reservation floor above the cap", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--reservation-floor", "501"), "--reservation-floor (GPUMARKET_MATCHER_RESERVATION_FLOOR): 501 exceeds --reservation-cap 500"},
		{"missing addresses", []string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, "--market (GPUMARKET_MARKET): required"},
		{"bad market", []string{"run", "--database-url", dsn, "--chain-id", "1", "--market", "0x12", "--registry", "0x00000000000000000000000000000000000000a2", "--keystore", ks, "--password", "x"}, "--market"},
		{"wrong password", append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", secret}, addrs...), "wrong password"},
		{"missing database", append([]string{"run", "--keystore", ks, "--password", "x"}, addrs...), "--database-url"},
		{"spec quota count", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--spec-quota-count", "0"), "--spec-quota-count (GPUMARKET_MATCHER_SPEC_QUOTA_COUNT): 0 is below 1"},
		{"spec quota bytes", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--spec-quota-bytes", "-1"), "--spec-quota-bytes (GPUMARKET_MATCHER_SPEC_QUOTA_BYTES): -1 is below 1"},
		{"spec quota window", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--spec-quota-window", "0s"), "--spec-quota-window (GPUMARKET_MATCHER_SPEC_QUOTA_WINDOW): 0s is not positive"},
		{"spec gc grace", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--spec-gc-grace", "10s"), "--spec-gc-grace (GPUMARKET_MATCHER_SPEC_GC_GRACE): 10s is below 1m"},
		{"spec gc schedule", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--spec-gc-schedule", "sometimes"), "--spec-gc-schedule (GPUMARKET_MATCHER_SPEC_GC_SCHEDULE)"},
		{"bad ui token", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--ui-token", "0x12:USDT:6"), "--ui-token (GPUMARKET_MATCHER_UI_TOKEN)"},
		{"ui tx link not http", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--ui-tx-url", "javascript:alert(1)//"), "--ui-tx-url (GPUMARKET_MATCHER_UI_TX_URL)"},
		{"operator key without a node", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--operator-keystore", ks, "--operator-password", "x"), "--rpc-url (GPUMARKET_RPC_URL): required with --operator-keystore"},
		{"operator key without a password", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--operator-keystore", ks, "--rpc-url", "http://127.0.0.1:1"), "--operator-password-file (GPUMARKET_MATCHER_OPERATOR_PASSWORD_FILE): required"},
		{"operator key is the matcher key", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "right-password"}, addrs...),
			"--operator-keystore", ks, "--operator-password", "right-password", "--rpc-url", "http://127.0.0.1:1"), "holds the matcher's assignment key"},
		{"operator wrong password", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "right-password"}, addrs...),
			"--operator-keystore", ks, "--operator-password", secret, "--rpc-url", "http://127.0.0.1:1"), "--operator-keystore"},
		{"blob store scheme", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-store", "gs://bucket"), "--blob-store (GPUMARKET_MATCHER_BLOB_STORE): want file:///dir or s3://bucket"},
		{"blob max bytes", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-max-bytes", "0"), "--blob-max-bytes (GPUMARKET_MATCHER_BLOB_MAX_BYTES): 0 is below 1"},
		{"blob quota count", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-quota-count", "0"), "--blob-quota-count (GPUMARKET_MATCHER_BLOB_QUOTA_COUNT): 0 is below 1"},
		{"blob gc grace", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-gc-grace", "30s"), "--blob-gc-grace (GPUMARKET_MATCHER_BLOB_GC_GRACE): 30s is below 1m"},
		{"blob staged grace", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-staged-grace", "5m"), "--blob-staged-grace (GPUMARKET_MATCHER_BLOB_STAGED_GRACE): 5m0s is below 15m"},
		{"blob gc schedule", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--blob-gc-schedule", "sometimes"), "--blob-gc-schedule (GPUMARKET_MATCHER_BLOB_GC_SCHEDULE)"},
		{"public url", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--public-url", "matcher.example"), "--public-url (GPUMARKET_MATCHER_PUBLIC_URL): want http(s)://host[:port]"},
		{"event streams above max conns", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "x"}, addrs...),
			"--event-streams", "2000"), "--event-streams (GPUMARKET_MATCHER_EVENT_STREAMS): 2000 leaves no connection of --max-conns"},
		{"solana rail without a mint", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "right-password"}, addrs...),
			"--solana-rpc-url", "http://127.0.0.1:1"), "--solana-mint (GPUMARKET_MATCHER_SOLANA_MINTS): required with --solana-rpc-url"},
		{"solana mint malformed", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "right-password"}, addrs...),
			"--solana-rpc-url", "http://127.0.0.1:1", "--solana-mint", "SOL:9:0x00000000000000000000000000000000000000a3:1/0"), "--solana-mint (GPUMARKET_MATCHER_SOLANA_MINTS): \"SOL:9:0x00000000000000000000000000000000000000a3:1/0\": conversion"},
		{"solana node unreachable", append(append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password", "right-password"}, addrs...),
			"--solana-rpc-url", "http://127.0.0.1:1", "--solana-mint", "SOL:9:0x00000000000000000000000000000000000000a3:20/3"), "--solana-rpc-url (GPUMARKET_MATCHER_SOLANA_RPC_URL)"},
		{"world-readable password file", append([]string{"run", "--database-url", dsn, "--keystore", ks, "--password-file", openPW}, addrs...), "is accessible to other users (mode 0644)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runMatcherCLI(t.Context(), t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("matcher %v = %v, want an error containing %q", tc.args, err, tc.want)
			}
			if strings.Contains(err.Error()+out, secret) {
				t.Errorf("the password leaked: %v %s", err, out)
			}
		})
	}
}

// TestMatcherRunServesAndStops runs `gpumarket matcher run` in process: the
// API answers, the logs never show the password, and cancelling the context
// ends it without error.
func TestMatcherRunServesAndStops(t *testing.T) {
	dsn := pgtest.URL(t)
	const password = "correct horse battery"
	ks := writeKeystore(t, password)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	dataDir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	var runErr error
	var out string
	go func() {
		defer close(done)
		out, runErr = runMatcherCLI(ctx, t, "run", "--database-url", dsn, "--chain-id", "31337",
			"--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2",
			"--keystore", ks, "--password-file", pwFile, "--listen", addr, "--staking-token", "0x00000000000000000000000000000000000000a3",
			"--reservation-bps", "1000", "--reservation-floor", "10", "--reservation-cap", "500", "--data-dir", dataDir,
			"--ui-token", "0x00000000000000000000000000000000000000a4:USDT:6", "--lease-ttl", "1h")
	}()
	var body []byte
	for i := 0; i < 100; i++ {
		resp, err := http.Get("http://" + addr + "/v1/openapi.json")
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !bytes.Contains(body, []byte(`"openapi"`)) {
		t.Errorf("GET /v1/openapi.json = %q", body)
	}
	// The web page at / (on by default), with its CSP, and its config.
	page, err := http.Get("http://" + addr + "/")
	if err != nil || page.StatusCode != http.StatusOK || page.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(page.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("GET / = %v %v, want the page with its CSP", page, err)
	}
	if page != nil {
		page.Body.Close()
	}
	if conf, err := http.Get("http://" + addr + "/config.json"); err != nil {
		t.Errorf("GET /config.json: %v", err)
	} else {
		b, _ := io.ReadAll(conf.Body)
		conf.Body.Close()
		if !bytes.Contains(b, []byte(`"market":"0x00000000000000000000000000000000000000a1"`)) || !bytes.Contains(b, []byte(`"symbol":"USDT","decimals":6`)) {
			t.Errorf("GET /config.json = %s, want the market and the --ui-token", b)
		}
	}
	resp, err := http.Get("http://" + addr + "/v1/providers?limit=0")
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /v1/providers?limit=0 = %v %v, want 400", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	// The chain-scoped form: another chain is a 404 naming the one served.
	resp, err = http.Get("http://" + addr + "/v1/chains/31338/providers")
	if err != nil {
		t.Errorf("GET /v1/chains/31338/providers: %v", err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !bytes.Contains(b, []byte("this matcher serves chain 31337")) {
			t.Errorf("GET /v1/chains/31338/providers = %d %s, want 404 naming chain 31337", resp.StatusCode, b)
		}
	}
	// --lease-ttl 1h reaches the service: its partition leases last 3/4
	// of it (45m; the 30s default would give 22.5s).
	sql := postgrestest.Open(t, dsn)
	var lease int64
	for i := 0; i < 100; i++ {
		if lease = sql.Count(`SELECT coalesce(extract(epoch FROM max(expires_at) - now()), 0)::bigint FROM matcher_partitions WHERE chain_id = 31337`); lease > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lease < 40*60 || lease > 45*60 {
		t.Errorf("partition lease = %ds from now, want 45m (3/4 of --lease-ttl 1h)", lease)
	}
	// An input above the server's default 1 MiB body cap is stored in
	// --data-dir/blobs: the blob route's own cap applies.
	input := bytes.Repeat([]byte("x"), 2<<20)
	resp, err = http.Post("http://"+addr+"/v1/blobs", "application/octet-stream", bytes.NewReader(input))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /v1/blobs of 2 MiB = %v %v, want 201", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	sum := sha256.Sum256(input)
	if _, err := os.Stat(filepath.Join(dataDir, "blobs", "sha256", hex.EncodeToString(sum[:]))); err != nil {
		t.Errorf("stored input: %v", err)
	}
	cancel()
	<-done
	if runErr != nil {
		t.Errorf("matcher run after cancel = %v, want nil", runErr)
	}
	if strings.Contains(out, password) {
		t.Errorf("the password appears in the output")
	}
}

// reservationFlags give the matcher the marketplace's reservation rule when
// no deployment file does.
var reservationFlags = []string{"--staking-token", "0x00000000000000000000000000000000000000a3", "--reservation-bps", "1000",
	"--reservation-floor", "10", "--reservation-cap", "500"}

// TestMatcherConfigStringRedacts: both keystore passwords and the read
// replica's password are redacted.
func TestMatcherConfigStringRedacts(t *testing.T) {
	mc := DefaultMatcherConfig()
	mc.Password, mc.OperatorPassword, mc.OperatorKeystore = "assignment-secret", "operator-secret", "/keys/operator.json"
	mc.ReadDatabaseURL = "postgres://analyst:replica-secret@standby:5432/gm"
	s := mc.String()
	if strings.Contains(s, "assignment-secret") || strings.Contains(s, "operator-secret") || !strings.Contains(s, "operator-keystore=/keys/operator.json") ||
		strings.Contains(s, "replica-secret") || !strings.Contains(s, "read-database-url=postgres://analyst:xxxxx@standby:5432/gm") {
		t.Fatalf("String() = %s, want the keystore named and no password", s)
	}
}
