//go:build linux

package executor

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// procLimits parses /proc/<pid>/limits as cat wrote it: limit name → soft
// and hard values as printed ("unlimited" or a number).
func procLimits(tb testing.TB, path string) map[string][2]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("read limits: %v", err)
	}
	defer f.Close()
	out := map[string][2]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < 26 || strings.HasPrefix(line, "Limit") {
			continue
		}
		fields := strings.Fields(line[26:])
		if len(fields) >= 2 {
			out[strings.TrimSpace(line[:26])] = [2]string{fields[0], fields[1]}
		}
	}
	return out
}

// TestCommandLimitsBeforeStart: the limits are in force before the
// program's first instruction, so a process it forks at once is limited
// too. (They used to be set with prlimit after the start, which a writer
// forked first escaped in 2-5 of 20 runs.)
func TestCommandLimitsBeforeStart(t *testing.T) {
	sb := newSandbox(t)
	outside := filepath.Join(sb.base, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	const maxOutput = 1 << 20
	// The first command forks: one child records its limits, another
	// writes 3 MiB outside the work dir; only then does the program go on.
	prog := sb.script(t, "prog.sh", strings.ReplaceAll(`cat /proc/self/limits > OUTSIDE_DIR/limits$GPUMARKET_JOB_ID & sh -c 'head -c 3145728 /dev/zero > OUTSIDE_DIR/big$GPUMARKET_JOB_ID' &
wait
echo x > "$GPUMARKET_OUTPUT_FILE"
echo '{}' > usage.json
`, "OUTSIDE_DIR", outside))
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work, MaxOutputBytes: maxOutput, MaxOpenFiles: 64})
	for i := range 20 {
		job := Job{ID: gpumarket.JobID(i), Kind: gpumarket.JobKindRender, Spec: []byte(`{}`)}
		res, err := c.Run(t.Context(), job)
		if err != nil {
			t.Fatalf("Run(%d) = %v, want success", i, err)
		}
		res.Release()
		st, err := os.Stat(filepath.Join(outside, "big"+job.ID.String()))
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > maxOutput+1 {
			t.Errorf("run %d: a forked writer put %d bytes outside the work dir, limit %d", i, st.Size(), maxOutput+1)
		}
		lim := procLimits(t, filepath.Join(outside, "limits"+job.ID.String()))
		for name, want := range map[string][2]string{
			"Max file size":      {"1048577", "1048577"},
			"Max core file size": {"0", "0"},
			"Max open files":     {"64", "64"},
		} {
			if lim[name] != want {
				t.Errorf("run %d: %s of a forked child = %v, want %v", i, name, lim[name], want)
			}
		}
	}
}

// TestCommandOutputChecks: the output and usage are read only from a regular
// file with one link directly in the work dir, and only while the work dir
// is still the one created for the job; a job that makes too many files
// fails.
func TestCommandOutputChecks(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		maxFiles int
		wantErr  error  // or
		wantMsg  string // a substring of the error
	}{
		{
			name:    "hard link to a file outside",
			script:  "ln KEYSTORE \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			wantMsg: "one link",
		},
		{
			name:    "hard link inside the work dir",
			script:  "echo x > copy\nln copy \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			wantMsg: "one link",
		},
		{
			name:    "symlink to a file outside",
			script:  "ln -s KEYSTORE \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			wantMsg: "not a regular file",
		},
		{
			name:    "symlink to the spec",
			script:  "ln -s spec.json \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			wantMsg: "not a regular file",
		},
		{
			name:    "output is a directory",
			script:  "mkdir \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			wantMsg: "not a regular file",
		},
		{
			name:    "usage hard-linked from outside",
			script:  "echo x > \"$GPUMARKET_OUTPUT_FILE\"\nln FAKE/usage.json usage.json\n",
			wantErr: ErrNoUsage,
		},
		{
			name:    "work dir swapped for a symlink",
			script:  "d=$(pwd)\nmv \"$d\" \"$d.moved\"\nln -s FAKE \"$d\"\n",
			wantMsg: "work dir was replaced",
		},
		{
			name:    "work dir swapped for another directory",
			script:  "d=$(pwd)\nmv \"$d\" \"$d.moved\"\nmkdir \"$d\"\ncp FAKE/output FAKE/usage.json \"$d\"\n",
			wantMsg: "work dir was replaced",
		},
		{
			name:    "work dir removed",
			script:  "rm -rf \"$(pwd)\"\n",
			wantMsg: "work dir is gone",
		},
		{
			name:     "too many files",
			script:   "i=0; while [ $i -lt 40 ]; do : > f$i; i=$((i+1)); done\necho x > \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			maxFiles: 20,
			wantErr:  ErrOutputLimit,
		},
		{
			name:     "too many directories",
			script:   "mkdir -p a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v\necho x > \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			maxFiles: 20,
			wantErr:  ErrOutputLimit,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t)
			keystore := filepath.Join(sb.victim, "keystore.json")
			fake := filepath.Join(sb.victim, "fake")
			if err := os.WriteFile(keystore, []byte(`{"crypto":"SECRET"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(fake, 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(fake, "output"), []byte("FAKE RESULT"), 0o644)
			os.WriteFile(filepath.Join(fake, "usage.json"), []byte(`{"units1":1}`), 0o644)
			before := sb.tree(t)
			script := strings.NewReplacer("KEYSTORE", keystore, "FAKE", fake).Replace(tt.script)
			c := newCommand(t, CommandConfig{Program: sb.script(t, "prog.sh", script), WorkRoot: sb.work, MaxFiles: tt.maxFiles})
			res, err := c.Run(t.Context(), Job{ID: 9, Kind: gpumarket.JobKindLLM, Spec: []byte(`{}`)})
			if err == nil {
				r, _ := res.Open()
				got, _ := io.ReadAll(r)
				res.Release()
				t.Fatalf("Run() = success with output %q, want an error", got)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Run() = %v, want %v", err, tt.wantErr)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Run() = %v, want an error mentioning %q", err, tt.wantMsg)
			}
			// Nothing outside the work root was touched by the cleanup.
			var outsideWork []string
			for _, p := range sb.tree(t) {
				if p != sb.work && !strings.HasPrefix(p, sb.work+"/") && !strings.HasPrefix(p, sb.bin) {
					outsideWork = append(outsideWork, p)
				}
			}
			var beforeOutside []string
			for _, p := range before {
				if p != sb.work && !strings.HasPrefix(p, sb.work+"/") && !strings.HasPrefix(p, sb.bin) {
					beforeOutside = append(beforeOutside, p)
				}
			}
			if !slices.Equal(beforeOutside, outsideWork) {
				t.Errorf("files outside the work root changed:\nbefore %q\nafter  %q", beforeOutside, outsideWork)
			}
			if b, err := os.ReadFile(keystore); err != nil || string(b) != `{"crypto":"SECRET"}` {
				t.Errorf("keystore after the job = %q, %v; want it intact", b, err)
			}
			if b, err := os.ReadFile(filepath.Join(fake, "output")); err != nil || string(b) != "FAKE RESULT" {
				t.Errorf("file behind the swapped work dir = %q, %v; want it left alone", b, err)
			}
		})
	}
}

// TestCommandFilesWithinCap: a job that stays within MaxFiles succeeds, and
// its output is read through the descriptor the executor checked.
func TestCommandFilesWithinCap(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "prog.sh", "i=0; while [ $i -lt 10 ]; do : > f$i; i=$((i+1)); done\necho result > \"$GPUMARKET_OUTPUT_FILE\"\necho '{\"units1\":2}' > usage.json\n")
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work, MaxFiles: 20})
	res, err := c.Run(t.Context(), Job{ID: 1, Kind: gpumarket.JobKindLLM, Spec: []byte(`{}`)})
	if err != nil {
		t.Fatalf("Run() = %v, want success with 13 files and a cap of 20", err)
	}
	defer res.Release()
	// Even if the path is replaced now, Open reads the checked file.
	if err := os.Remove(res.Path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(res.Path, []byte("swapped"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r, err := res.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if string(got) != "result\n" {
			t.Errorf("Open() read %q, want %q", got, "result\n")
		}
	}
}

func TestNewCommandNeedsRunLimitedMain(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "ok.sh", "exit 0\n")
	launcherReady.Store(false)
	t.Cleanup(func() { launcherReady.Store(true) })
	_, err := NewCommand(CommandConfig{Program: prog, WorkRoot: sb.work}, nil)
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "RunLimitedMain") {
		t.Errorf("NewCommand in a binary whose main skipped RunLimitedMain = %v, want EINVALID naming RunLimitedMain", err)
	}
}

func TestLauncherArgs(t *testing.T) {
	limits := []rlimit{{"fsize", 1 << 20}, {"core", 0}, {"nofile", 64}}
	args := []string{"--fixed", "a b; rm -rf /", "--", "$(x)"}
	argv := launcherArgs(limits, "/opt/prog", args)
	if argv[0] != launcherArg0 {
		t.Fatalf("argv[0] = %q, want %q", argv[0], launcherArg0)
	}
	gotLimits, prog, gotArgs, err := parseLauncherArgs(argv[1:])
	if err != nil || prog != "/opt/prog" || !slices.Equal(gotLimits, limits) || !slices.Equal(gotArgs, args) {
		t.Errorf("parseLauncherArgs(launcherArgs(...)) = %v, %q, %q, %v; want the input back", gotLimits, prog, gotArgs, err)
	}
	for _, bad := range [][]string{
		{},
		{"fsize=1"},
		{"fsize=1", "--"},
		{"nproc=1", "--", "/p"},
		{"fsize", "--", "/p"},
		{"fsize=-1", "--", "/p"},
		{"fsize=1k", "--", "/p"},
		{"/p"},
	} {
		if _, _, _, err := parseLauncherArgs(bad); err == nil {
			t.Errorf("parseLauncherArgs(%q) = nil error, want a refusal", bad)
		}
	}
}

// TestCommandLauncherExecFailure: when the launcher cannot exec the program
// (removed after NewCommand), the job fails with status 127 and says why.
func TestCommandLauncherExecFailure(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "gone.sh", "exit 0\n")
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work})
	if err := os.Remove(prog); err != nil {
		t.Fatal(err)
	}
	_, err := c.Run(t.Context(), Job{ID: 2, Kind: gpumarket.JobKindLLM, Spec: []byte(`{}`)})
	var xe *ExitError
	if !errors.As(err, &xe) || xe.Status != launcherFailed || !strings.Contains(string(xe.Stderr), "exec "+prog) {
		t.Errorf("Run(program removed) = %v, want ExitError status %d naming the exec failure", err, launcherFailed)
	}
}
