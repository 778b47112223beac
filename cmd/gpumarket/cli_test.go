package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v3"
)

// flagVar matches a flag named in an error with its variable: "--rpc-url (GPUMARKET_RPC_URL)".
var flagVar = regexp.MustCompile(`--([a-z0-9-]+) \((GPUMARKET_[A-Z0-9_]+)\)`)

// helpVar returns the variable `gpumarket <command> --help` shows beside
// --flag, "" when it shows the flag without one, and fails the test when the
// help does not list the flag.
func helpVar(t *testing.T, command, flag string) string {
	t.Helper()
	code, out, errOut := runCLI(t, nil, append(strings.Fields(command), "--help")...)
	if code != exitOK {
		t.Fatalf("%s --help: exit %d, %s", command, code, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.TrimSuffix(f[0], ",") != "--"+flag {
			continue
		}
		if i := strings.Index(line, "[$"); i >= 0 {
			return strings.TrimSuffix(line[i+2:], "]")
		}
		return ""
	}
	t.Fatalf("%s --help does not list --%s:\n%s", command, flag, out)
	return ""
}

// TestBadFlags runs every subcommand with bad flags, as a new user would:
// the exit code is the README's (2 for bad flags, configuration or input),
// the error is printed once without the whole help, and every variable it
// names is the one --help shows for that flag.
func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "signer.json") // never read: the password is missing first
	noDB := map[string]string{"GPUMARKET_DATABASE_URL": ""}
	db := map[string]string{"GPUMARKET_DATABASE_URL": "postgres://u:dbpass@127.0.0.1:1/x"} // valid, never reached
	addrs := []string{"--chain-id", "31337", "--market", "0x00000000000000000000000000000000000000a1",
		"--registry", "0x00000000000000000000000000000000000000a2", "--rpc-url", "http://127.0.0.1:1"}
	tests := []struct {
		name    string
		env     map[string]string
		command string   // the subcommand, whose --help is checked
		args    []string // after the command (global flags before it go in pre)
		pre     []string
		want    []string          // in stderr
		vars    map[string]string // flag → the variable the error must name
	}{
		{name: "root unknown flag", command: "", args: []string{"--bogus"}, want: []string{"bogus", "Run 'gpumarket --help'"}},
		{name: "root unknown command", command: "", args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`}},
		{name: "group unknown command", command: "indexer", args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`, "Run 'gpumarket indexer --help'"}},
		{name: "migrate up unknown flag", command: "migrate up", args: []string{"--bogus"}, want: []string{"bogus", "Run 'gpumarket migrate up --help'"}},
		{name: "migrate status without database", env: noDB, command: "migrate status",
			vars: map[string]string{"database-url": "GPUMARKET_DATABASE_URL"}},
		{name: "config bad log level", env: noDB, pre: []string{"--log-level", "loud"}, command: "config",
			vars: map[string]string{"log-level": "GPUMARKET_LOG_LEVEL", "database-url": "GPUMARKET_DATABASE_URL"}},
		{name: "version unknown flag", command: "version", args: []string{"--x"}, want: []string{"Run 'gpumarket version --help'"}},
		{name: "indexer run unknown flag", command: "indexer run", args: []string{"--bogus"}, want: []string{"bogus"}},
		{name: "indexer run unparsable number", command: "indexer run", args: []string{"--confirmations", "many"}, want: []string{"many"}},
		{name: "indexer run bad values", env: db, command: "indexer run", args: []string{"--market", "0x12", "--max-range", "0", "--owner", ""},
			vars: map[string]string{"rpc-url": "GPUMARKET_RPC_URL", "market": "GPUMARKET_MARKET", "registry": "GPUMARKET_REGISTRY",
				"chain-id": "GPUMARKET_CHAIN_ID", "start-block": "GPUMARKET_START_BLOCK", "max-range": "GPUMARKET_MAX_RANGE", "owner": "GPUMARKET_INDEXER_OWNER"}},
		{name: "indexer replay without --from", env: db, command: "indexer replay", want: []string{"--from: required"}},
		{name: "indexer solana", env: db, command: "indexer solana", args: []string{"--every", "10ms"},
			vars: map[string]string{"solana-rpc-url": "GPUMARKET_SOLANA_RPC_URL", "address": "GPUMARKET_SOLANA_ADDRESSES", "every": "GPUMARKET_SOLANA_EVERY"}},
		{name: "matcher run", env: db, command: "matcher run", args: []string{"--minimum-price", "lots", "--protocol-fee-bps", "20000"},
			vars: map[string]string{"keystore": "GPUMARKET_MATCHER_KEYSTORE", "password-file": "GPUMARKET_MATCHER_PASSWORD_FILE",
				"password": "GPUMARKET_MATCHER_PASSWORD", "minimum-price": "GPUMARKET_MATCHER_MINIMUM_PRICE",
				"protocol-fee-bps": "GPUMARKET_MATCHER_PROTOCOL_FEE_BPS", "market": "GPUMARKET_MARKET"}},
		{name: "matcher run out-of-range batch and offer ttl", env: db, command: "matcher run", args: []string{"--batch", "0", "--offer-ttl", "0s"},
			want: []string{"0 is not in [1, 10000]", "0s is below 1s"},
			vars: map[string]string{"batch": "GPUMARKET_MATCHER_BATCH", "offer-ttl": "GPUMARKET_MATCHER_OFFER_TTL"}},
		{name: "matcher run lease ttl below 1s", env: db, command: "matcher run", args: []string{"--lease-ttl", "500ms"},
			want: []string{"--lease-ttl", "500ms is not in [1s, 1h0m0s]"}, vars: map[string]string{"lease-ttl": "GPUMARKET_MATCHER_LEASE_TTL"}},
		{name: "matcher run lease ttl above 1h", env: db, command: "matcher run", args: []string{"--lease-ttl", "2h"},
			want: []string{"2h0m0s is not in [1s, 1h0m0s]"}, vars: map[string]string{"lease-ttl": "GPUMARKET_MATCHER_LEASE_TTL"}},
		{name: "matcher run unparsable duration", command: "matcher run", args: []string{"--offer-ttl", "soon"}, want: []string{"soon"}},
		{name: "matcher bench unparsable number", command: "matcher bench", args: []string{"--providers", "x"}, want: []string{"providers"}},
		{name: "matcher bench without database", env: noDB, command: "matcher bench", vars: map[string]string{"database-url": "GPUMARKET_DATABASE_URL"}},
		{name: "relayer keys missing required flags", command: "relayer keys", want: []string{"out", "password-file"}},
		{name: "relayer keys short password", command: "relayer keys", args: []string{"--out", filepath.Join(dir, "k.json"), "--password-file", short},
			want: []string{"--password-file: the password must be at least 8 characters"}, vars: map[string]string{"password-file": ""}},
		{name: "relayer register bad token", env: db, command: "relayer register", args: append([]string{"--token", "0x12"}, addrs...),
			vars: map[string]string{"token": "GPUMARKET_RELAYER_TOKEN"}},
		{name: "relayer register without profile", env: db, command: "relayer register", args: addrs,
			vars: map[string]string{"profile": "GPUMARKET_RELAYER_PROFILE"}},
		{name: "relayer register bad stake", env: db, command: "relayer register", args: append([]string{"--profile", "p.json", "--stake", "lots"}, addrs...),
			vars: map[string]string{"stake": "GPUMARKET_RELAYER_STAKE"}},
		{name: "relayer run bad executor", env: db, command: "relayer run", args: append([]string{"--executor", "shell"}, addrs...),
			vars: map[string]string{"executor": "GPUMARKET_RELAYER_EXECUTOR"}},
		{name: "relayer run command executor without --command", env: db, command: "relayer run",
			args: append([]string{"--executor", "command", "--data-dir", dir}, addrs...),
			want: []string{"--executor command"}, vars: map[string]string{"command": "GPUMARKET_RELAYER_COMMAND"}},
		{name: "relayer run http executor without --http-url", env: db, command: "relayer run", args: append([]string{"--executor", "http"}, addrs...),
			want: []string{"--executor http"}, vars: map[string]string{"http-url": "GPUMARKET_RELAYER_HTTP_URL"}},
		{name: "relayer run without node and matcher", env: db, command: "relayer run", args: []string{"--matcher-url", "", "--chain-id", "1", "--market",
			"0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2"},
			vars: map[string]string{"rpc-url": "GPUMARKET_RPC_URL", "matcher-url": "GPUMARKET_MATCHER_URL"}},
		{name: "relayer run without signer password", env: db, command: "relayer run", args: append([]string{"--signer-keystore", ks}, addrs...),
			vars: map[string]string{"signer-password": "GPUMARKET_SIGNER_PASSWORD"}},
		{name: "relayer withdraw without signer key", env: db, command: "relayer withdraw", args: addrs,
			vars: map[string]string{"signer-keystore": "GPUMARKET_SIGNER_KEYSTORE"}},
		{name: "bench indexer bad values", command: "bench indexer", args: []string{"--events", "0", "--latency-txs", "-1"},
			want: []string{"--events: must be at least 1", "--latency-txs: must not be negative"}},
		{name: "bench matcher bad values", command: "bench matcher", args: []string{"--runs", "0", "--instances", "1,x", "--jobs", "10", "--watchers", "11"},
			want: []string{"--runs: must be at least 1", `--instances: "x" is not a count`, "--watchers: must be between 0 and --jobs (10)"}},
		{name: "demo unparsable duration", command: "demo", args: []string{"--timeout", "5x"}, want: []string{"5x", "Run 'gpumarket demo --help'"}},
		{name: "demo bad log format", pre: []string{"--log-format", "xml"}, command: "demo", vars: map[string]string{"log-format": "GPUMARKET_LOG_FORMAT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := slices.Concat(tt.pre, strings.Fields(tt.command), tt.args)
			code, out, errOut := runCLI(t, tt.env, args...)
			if code != exitInvalid {
				t.Errorf("gpumarket %q: exit %d, want %d (stderr %q)", args, code, exitInvalid, errOut)
			}
			if n := strings.Count(errOut, "gpumarket: "); n != 1 {
				t.Errorf("the error is printed %d times, want once: %q", n, errOut)
			}
			if strings.Contains(out+errOut, "OPTIONS:") {
				t.Errorf("a bad flag prints the whole help: %q %q", out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
			for flag, v := range tt.vars {
				if !strings.Contains(errOut, "--"+flag) && !strings.Contains(errOut, v) {
					t.Errorf("stderr %q names neither --%s nor %s", errOut, flag, v)
				}
				if v != "" && !strings.Contains(errOut, v) {
					t.Errorf("stderr %q does not name %s", errOut, v)
				}
				if got := helpVar(t, tt.command, flag); got != v {
					t.Errorf("%s --help shows --%s with variable %q, want %q", tt.command, flag, got, v)
				}
			}
			// Whatever variable the error names beside a flag is the one --help shows.
			for _, m := range flagVar.FindAllStringSubmatch(errOut, -1) {
				if got := helpVar(t, tt.command, m[1]); got != m[2] {
					t.Errorf("the error names --%s (%s), --help shows %q", m[1], m[2], got)
				}
			}
			if strings.Contains(errOut, "dbpass") {
				t.Errorf("stderr shows the database password: %q", errOut)
			}
		})
	}
}

// noVariable lists the flags that have no GPUMARKET_* variable, by
// command: the own flags of one-off runs. The README names exactly these.
var noVariable = map[string][]string{
	"indexer replay": {"from"},
	"relayer keys":   {"out", "password-file"},
	"matcher bench":  {"providers", "jobs", "instances", "cpuprofile"},
	"bench indexer":  {"events", "jobs-per-block", "range-width", "runs", "latency-txs", "block-time", "block-jitter", "indexer-flag", "cpuprofile", "state-file"},
	"bench matcher":  {"providers", "jobs", "runs", "instances", "watchers", "replica"},
	"demo":           {"keep", "short", "timeout"},
}

// TestEveryFlagHasAVariable walks the command tree: every flag reads a
// GPUMARKET_* variable except those in noVariable, and the README's
// sentence about variables lists exactly those.
func TestEveryFlagHasAVariable(t *testing.T) {
	cfg := DefaultConfig()
	got := map[string][]string{}
	var walk func(path string, c *cli.Command)
	walk = func(path string, c *cli.Command) {
		for _, f := range c.Flags {
			name := f.Names()[0]
			vars := f.(interface{ GetEnvVars() []string }).GetEnvVars()
			if len(vars) == 0 {
				got[path] = append(got[path], name)
			}
			for _, v := range vars {
				if !strings.HasPrefix(v, "GPUMARKET_") {
					t.Errorf("%s --%s reads %s, not a GPUMARKET_* variable", path, name, v)
				}
			}
		}
		for _, sub := range c.Commands {
			walk(strings.TrimSpace(path+" "+sub.Name), sub)
		}
	}
	walk("", newApp(&cfg, nil, nil))
	for path, flags := range got {
		if !slices.Equal(flags, noVariable[path]) {
			t.Errorf("%q: flags without a variable %v, want %v (add a variable, or list the flag here and in the README)", path, flags, noVariable[path])
		}
	}
	for path := range noVariable {
		if _, ok := got[path]; !ok {
			t.Errorf("%q: every flag has a variable now; drop it from noVariable and the README", path)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(readme), "Every flag can also be set by")
	if i < 0 {
		t.Fatal("README.md lacks the sentence on environment variables")
	}
	para, _, _ := strings.Cut(string(readme)[i:], "\n\n")
	for path, flags := range noVariable {
		if want := "`" + path + " --" + strings.Join(flags, " --") + "`"; !strings.Contains(para, want) {
			t.Errorf("README's paragraph on variables does not list %s:\n%s", want, para)
		}
	}
}
