//go:build linux

package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

// sandbox is a directory tree for one test: bin/ holds the test's programs,
// work/ is the executor's WorkRoot, victim/ holds a file that attacks would
// delete, and pids/ collects the pids the programs report.
type sandbox struct {
	base, bin, work, victim, pids string
}

func newSandbox(tb testing.TB) *sandbox {
	tb.Helper()
	base := tb.TempDir()
	s := &sandbox{base: base, bin: filepath.Join(base, "bin"), work: filepath.Join(base, "work"), victim: filepath.Join(base, "victim"), pids: filepath.Join(base, "pids")}
	for _, d := range []string{s.bin, s.work, s.victim, s.pids} {
		if err := os.Mkdir(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.victim, "keep"), []byte("keep"), 0o644); err != nil {
		tb.Fatal(err)
	}
	// Whatever happens in the test, kill the processes our programs reported.
	tb.Cleanup(func() {
		for _, pid := range s.reportedPIDs(tb) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	return s
}

// script writes a /bin/sh program into bin/ and returns its path. The string
// PIDS in body is replaced by the pids directory.
func (s *sandbox) script(tb testing.TB, name, body string) string {
	tb.Helper()
	p := filepath.Join(s.bin, name)
	body = strings.ReplaceAll(body, "PIDS", s.pids)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (s *sandbox) reportedPIDs(tb testing.TB) []int {
	tb.Helper()
	var pids []int
	ents, _ := os.ReadDir(s.pids)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(s.pids, e.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// tree lists every path under the sandbox except the pids directory.
func (s *sandbox) tree(tb testing.TB) []string {
	tb.Helper()
	var paths []string
	err := filepath.WalkDir(s.base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == s.pids {
			return filepath.SkipDir
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return paths
}

func newCommand(tb testing.TB, cfg CommandConfig) *Command {
	tb.Helper()
	c, err := NewCommand(cfg, nil)
	if err != nil {
		tb.Fatalf("NewCommand(%+v) = %v", cfg, err)
	}
	return c
}

// alive returns the pids among pids that still run (zombies count as dead)
// plus every live process in process group pgid.
func alive(pids []int, pgid int) []int {
	var live []int
	for _, p := range listProcs("/proc") {
		if p.dead() {
			continue
		}
		if slices.Contains(pids, p.pid) || (pgid > 0 && p.pgrp == pgid) {
			live = append(live, p.pid)
		}
	}
	return live
}

// echoScript copies the spec into the output, followed by the program's own
// initial environment (/proc/self/environ as sh sees it) and working
// directory, and reports the spec size as usage.
const echoScript = `set -eu
{ cat -- "$GPUMARKET_SPEC_FILE"; printf '\n--environ--\n'; tr '\0' '\n' < /proc/$$/environ; printf -- '--pwd--\n%s\n' "$(pwd)"; printf -- '--argv--\n'; tr '\0' '\n' < /proc/$$/cmdline; } > "$GPUMARKET_OUTPUT_FILE"
printf '{"units1":%d,"units2":7}' "$(wc -c < "$GPUMARKET_SPEC_FILE")" > usage.json
`

func TestCommandInjection(t *testing.T) {
	sb := newSandbox(t)
	t.Setenv("GPUMARKET_TEST_SECRET", "must-not-leak")
	prog := sb.script(t, "echo.sh", echoScript)
	c := newCommand(t, CommandConfig{Program: prog, Args: []string{"--fixed", "arg with space"}, WorkRoot: sb.work})
	marker := filepath.Join(sb.base, "pwned")
	// Each spec carries an attack in the fields a careless executor would put
	// in a command line, a file name or an environment variable.
	specs := map[string]string{
		"semicolon rm":     fmt.Sprintf(`{"file":"x; rm -rf %s; touch %s"}`, sb.victim, marker),
		"command subst":    fmt.Sprintf(`{"prompt":"$(touch %s)"}`, marker),
		"backticks":        fmt.Sprintf("{\"prompt\":\"`touch %s`\"}", marker),
		"etc passwd name":  `{"output_name":"../../etc/passwd","input":"../../../../../../etc/passwd"}`,
		"sandbox escape":   fmt.Sprintf(`{"output_name":"../../%s"}`, filepath.Base(marker)),
		"newline env":      "{\"model\":\"m\\nGPUMARKET_JOB_ID=666\\nLD_PRELOAD=/tmp/evil.so\\nPATH=/tmp\"}",
		"quotes and pipes": fmt.Sprintf(`{"a":"'\"; | touch %s &","b":"&& touch %s || true"}`, marker, marker),
	}
	before := sb.tree(t)
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			job := Job{ID: gpumarket.JobID(42), Kind: gpumarket.JobKindLLM, Spec: []byte(spec)}
			res, err := c.Run(t.Context(), job)
			if err != nil {
				t.Fatalf("Run(%s) = %v, want success", spec, err)
			}
			out, err := os.ReadFile(res.Path)
			if err != nil {
				t.Fatal(err)
			}
			gotSpec, rest, ok := bytes.Cut(out, []byte("\n--environ--\n"))
			if !ok || !bytes.Equal(gotSpec, []byte(spec)) {
				t.Errorf("spec seen by program = %q, want %q byte for byte", gotSpec, spec)
			}
			envPart, rest, _ := bytes.Cut(rest, []byte("--pwd--\n"))
			pwdPart, argvPart, _ := bytes.Cut(rest, []byte("--argv--\n"))
			env := strings.Split(strings.TrimSuffix(string(envPart), "\n"), "\n")
			pwd := strings.TrimSpace(string(pwdPart))
			argv := strings.Split(strings.TrimSuffix(string(argvPart), "\n"), "\n")
			if wantArgv := []string{"/bin/sh", prog, "--fixed", "arg with space"}; !slices.Equal(argv, wantArgv) {
				t.Errorf("program argv = %q, want exactly %q", argv, wantArgv)
			}
			want := []string{
				"GPUMARKET_JOB_ID=42",
				"GPUMARKET_JOB_KIND=llm",
				"GPUMARKET_SPEC_FILE=" + filepath.Join(pwd, "spec.json"),
				"GPUMARKET_OUTPUT_FILE=" + filepath.Join(pwd, "output"),
				"PATH=/usr/local/bin:/usr/bin:/bin",
			}
			if !slices.Equal(env, want) {
				t.Errorf("program environment = %q, want exactly %q", env, want)
			}
			if filepath.Dir(pwd) != sb.work || !strings.HasPrefix(filepath.Base(pwd), "job-") {
				t.Errorf("work dir = %q, want a job-* directory directly under %q", pwd, sb.work)
			}
			if res.Usage != (gpumarket.Usage{Units1: uint64(len(spec)), Units2: 7}) {
				t.Errorf("Usage = %+v, want {%d 7}", res.Usage, len(spec))
			}
			if err := res.Release(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(pwd); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("work dir %s still exists after Release: %v", pwd, err)
			}
		})
	}
	after := sb.tree(t)
	if !slices.Equal(before, after) {
		t.Errorf("sandbox tree changed:\nbefore %q\nafter  %q", before, after)
	}
	if _, err := os.Stat(marker); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("marker %s exists: injected command ran", marker)
	}
	if _, err := os.Stat(filepath.Join(sb.victim, "keep")); err != nil {
		t.Errorf("victim file gone: %v", err)
	}
	if wd, _ := os.Getwd(); wd != "" {
		if _, err := os.Stat(filepath.Join(wd, "pwned")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("marker in test working directory: %v", err)
		}
	}
}

func TestCommandWorkDirNeverFromJob(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "echo.sh", echoScript)
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work})
	seen := map[string]bool{}
	for _, id := range []gpumarket.JobID{0, 1, 42, 18446744073709551615} {
		for range 2 {
			res, err := c.Run(t.Context(), Job{ID: id, Kind: gpumarket.JobKindRender, Spec: []byte(`{}`)})
			if err != nil {
				t.Fatalf("Run(id %d) = %v", id, err)
			}
			dir := filepath.Dir(res.Path)
			if filepath.Dir(dir) != sb.work || seen[dir] {
				t.Errorf("Run(id %d) work dir %q: want a fresh directory directly under %q", id, dir, sb.work)
			}
			seen[dir] = true
			if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
				t.Errorf("work dir mode = %v (%v), want 0700", st.Mode().Perm(), err)
			}
			res.Release()
		}
	}
	// The job id cannot even express a path: ids arrive as strings only
	// through ParseJobID, which refuses anything but digits.
	for _, s := range []string{"../../etc/passwd", "1/../../x", "-1", "1\n2", "1;rm"} {
		if _, err := gpumarket.ParseJobID(s); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
			t.Errorf("ParseJobID(%q) = %v, want EINVALID", s, err)
		}
	}
}

func TestCommandKillsEverything(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		cfg     CommandConfig
		ctx     func(context.Context) (context.Context, context.CancelFunc)
		wantErr error
	}{
		{
			name:    "never exits",
			script:  "echo $$ > PIDS/main\nwhile :; do sleep 1; done\n",
			wantErr: ErrTimeout,
		},
		{
			name: "children ignore SIGTERM",
			script: `trap '' TERM
( trap '' TERM; sleep 1000 & echo $! >> PIDS/kids; while :; do sleep 1; done ) &
echo $! >> PIDS/kids
sh -c 'trap "" TERM; exec sleep 1000' </dev/null >/dev/null 2>&1 &
echo $! >> PIDS/kids
setsid sh -c 'echo $$ > PIDS/escaped; exec sleep 1001' </dev/null >/dev/null 2>&1 &
while [ ! -s PIDS/escaped ]; do sleep 0.01; done
echo $$ > PIDS/main
while :; do sleep 1; done
`,
			wantErr: ErrTimeout,
		},
		{
			name: "cancelled",
			script: `( trap '' TERM; sleep 1000 ) & echo $! >> PIDS/kids
echo $$ > PIDS/main
while :; do sleep 1; done
`,
			cfg: CommandConfig{Timeout: time.Hour},
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(ctx)
				go func() {
					// cancel once the program has reported in
					for range 10000 {
						if b, _ := os.ReadFile(filepath.Join(ctx.Value(pidsKey{}).(string), "main")); bytes.HasSuffix(b, []byte("\n")) {
							break
						}
						time.Sleep(time.Millisecond)
					}
					cancel()
				}()
				return ctx, cancel
			},
			wantErr: context.Canceled,
		},
		{
			name:    "stdout flood",
			script:  "echo $$ > PIDS/main\nyes gpumarket\n",
			cfg:     CommandConfig{MaxLogBytes: 1 << 20, Timeout: time.Hour},
			wantErr: ErrOutputLimit,
		},
		{
			name:    "stderr flood",
			script:  "echo $$ > PIDS/main\nyes gpumarket >&2\n",
			cfg:     CommandConfig{MaxLogBytes: 1 << 20, Timeout: time.Hour},
			wantErr: ErrOutputLimit,
		},
		{
			name:    "endless output file",
			script:  "echo $$ > PIDS/main\ncat /dev/zero > \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			cfg:     CommandConfig{MaxOutputBytes: 1 << 20, Timeout: time.Hour},
			wantErr: ErrOutputLimit,
		},
		{
			name:    "giant output file",
			script:  "echo $$ > PIDS/main\nhead -c 200000000 /dev/zero > \"$GPUMARKET_OUTPUT_FILE\" || true\necho '{}' > usage.json\n",
			cfg:     CommandConfig{MaxOutputBytes: 1 << 20, Timeout: time.Hour},
			wantErr: ErrOutputLimit,
		},
		{
			name:    "many files in work dir",
			script:  "echo $$ > PIDS/main\ni=0; while :; do head -c 65536 /dev/zero > f$i; i=$((i+1)); done\n",
			cfg:     CommandConfig{MaxOutputBytes: 1 << 20, Timeout: time.Hour, PollInterval: 10 * time.Millisecond},
			wantErr: ErrOutputLimit,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t)
			cfg := tt.cfg
			cfg.Program = sb.script(t, "prog.sh", tt.script)
			cfg.WorkRoot = sb.work
			cfg.KillGrace = 50 * time.Millisecond
			if cfg.Timeout == 0 {
				// long enough for the scripts to report their pids first
				cfg.Timeout = 2 * time.Second
			}
			c := newCommand(t, cfg)
			ctx := context.WithValue(t.Context(), pidsKey{}, sb.pids)
			if tt.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = tt.ctx(ctx)
				defer cancel()
			}
			res, err := c.Run(ctx, Job{ID: 7, Kind: gpumarket.JobKindRender, Spec: []byte(`{"width":1}`)})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Run() = %v, %v; want error %v", res, err, tt.wantErr)
			}
			t.Logf("Run() error: %v", err)
			main := readPID(t, filepath.Join(sb.pids, "main"))
			pids := sb.reportedPIDs(t)
			if len(pids) == 0 {
				t.Fatal("the program reported no pids; the test proves nothing")
			}
			if live := alive(pids, main); len(live) > 0 {
				t.Errorf("processes alive after Run returned: %v (reported %v, group %d)", live, pids, main)
			}
			if _, err := os.Stat(filepath.Join(sb.pids, "escaped")); err == nil {
				esc := readPID(t, filepath.Join(sb.pids, "escaped"))
				if p, ok := readProc("/proc", esc); ok && !p.dead() {
					t.Errorf("process %d that left the group (setsid) survived", esc)
				}
			}
			if ents, _ := os.ReadDir(sb.work); len(ents) != 0 {
				t.Errorf("work root not empty after a failed job: %v", ents)
			}
		})
	}
}

type pidsKey struct{}

func readPID(tb testing.TB, path string) int {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		tb.Fatalf("read pid: %v", err)
	}
	return pid
}

func TestCommandLeftoverChildrenAfterSuccess(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "prog.sh", `sleep 1000 </dev/null >/dev/null 2>&1 &
echo $! > PIDS/kid
( trap '' TERM HUP; sleep 1000 ) &
echo $! >> PIDS/kid
setsid sh -c 'echo $$ > PIDS/escaped; exec sleep 1002' </dev/null >/dev/null 2>&1 &
while [ ! -s PIDS/escaped ]; do sleep 0.01; done
echo $$ > PIDS/main
echo done > "$GPUMARKET_OUTPUT_FILE"
echo '{"units1":1}' > usage.json
`)
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work})
	res, err := c.Run(t.Context(), Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: []byte(`{}`)})
	if err != nil {
		t.Fatalf("Run() = %v, want success", err)
	}
	defer res.Release()
	if res.Usage != (gpumarket.Usage{Units1: 1}) {
		t.Errorf("Usage = %+v, want {1 0}", res.Usage)
	}
	pids := sb.reportedPIDs(t)
	if len(pids) != 4 {
		t.Fatalf("reported pids = %v, want 4", pids)
	}
	if live := alive(pids, readPID(t, filepath.Join(sb.pids, "main"))); len(live) > 0 {
		t.Errorf("background children alive after a successful Run: %v", live)
	}
}

func TestCommandFailures(t *testing.T) {
	tests := []struct {
		name   string
		script string
		spec   string
		check  func(t *testing.T, err error)
	}{
		{
			name:   "exit status",
			script: "echo 'model not loaded' >&2\nexit 3\n",
			check: func(t *testing.T, err error) {
				var xe *ExitError
				if !errors.As(err, &xe) || xe.Status != 3 || !strings.Contains(string(xe.Stderr), "model not loaded") {
					t.Errorf("Run() = %v, want ExitError status 3 with the stderr tail", err)
				}
			},
		},
		{
			name:   "killed by signal",
			script: "kill -SEGV $$\n",
			check: func(t *testing.T, err error) {
				var xe *ExitError
				if !errors.As(err, &xe) || xe.Signal != syscall.SIGSEGV {
					t.Errorf("Run() = %v, want ExitError with SIGSEGV", err)
				}
			},
		},
		{
			name:   "no usage",
			script: "echo x > \"$GPUMARKET_OUTPUT_FILE\"\n",
			check:  wantIs(ErrNoUsage),
		},
		{
			name:   "bad usage",
			script: "echo x > \"$GPUMARKET_OUTPUT_FILE\"\necho '{\"units1\":-1}' > usage.json\n",
			check:  wantIs(ErrNoUsage),
		},
		{
			name:   "usage with unknown field",
			script: "echo x > \"$GPUMARKET_OUTPUT_FILE\"\necho '{\"units1\":1,\"price\":9}' > usage.json\n",
			check:  wantIs(ErrNoUsage),
		},
		{
			name:   "no output",
			script: "echo '{}' > usage.json\n",
			check:  wantMessage("no output file"),
		},
		{
			name:   "output is a symlink",
			script: "ln -s /etc/passwd \"$GPUMARKET_OUTPUT_FILE\"\necho '{}' > usage.json\n",
			check:  wantMessage("not a regular file"),
		},
		{
			name:   "spec not JSON",
			script: "exit 0\n",
			spec:   "$(touch pwned)",
			check:  wantCode(gpumarket.EINVALID),
		},
		{
			name:   "empty spec",
			script: "exit 0\n",
			spec:   "",
			check:  wantCode(gpumarket.EINVALID),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t)
			c := newCommand(t, CommandConfig{Program: sb.script(t, "prog.sh", tt.script), WorkRoot: sb.work})
			spec := tt.spec
			if spec == "" && tt.name != "empty spec" {
				spec = `{}`
			}
			res, err := c.Run(t.Context(), Job{ID: 3, Kind: gpumarket.JobKindSTT, Spec: []byte(spec)})
			if err == nil {
				res.Release()
				t.Fatalf("Run() = %+v, nil; want an error", res)
			}
			tt.check(t, err)
			if ents, _ := os.ReadDir(sb.work); len(ents) != 0 {
				t.Errorf("work root not empty after a failed job: %v", ents)
			}
		})
	}
}

func wantIs(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("Run() = %v, want %v", err, target)
		}
	}
}

func wantMessage(sub string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !strings.Contains(err.Error(), sub) {
			t.Errorf("Run() = %v, want an error mentioning %q", err, sub)
		}
	}
}

func wantCode(code string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if got := gpumarket.ErrorCode(err); got != code {
			t.Errorf("Run() = %v (code %s), want code %s", err, got, code)
		}
	}
}

func TestNewCommandConfig(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "ok.sh", "exit 0\n")
	notExec := filepath.Join(sb.bin, "plain")
	os.WriteFile(notExec, []byte("x"), 0o644)
	tests := []struct {
		name  string
		cfg   CommandConfig
		field string
	}{
		{"relative program", CommandConfig{Program: "ok.sh", WorkRoot: sb.work}, "Program"},
		{"missing program", CommandConfig{Program: filepath.Join(sb.bin, "nope"), WorkRoot: sb.work}, "Program"},
		{"not executable", CommandConfig{Program: notExec, WorkRoot: sb.work}, "Program"},
		{"relative work root", CommandConfig{Program: prog, WorkRoot: "work"}, "WorkRoot"},
		{"work root is a file", CommandConfig{Program: prog, WorkRoot: prog}, "WorkRoot"},
		{"newline in PATH", CommandConfig{Program: prog, WorkRoot: sb.work, Path: "/bin\nLD_PRELOAD=x"}, "Path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCommand(tt.cfg, nil)
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("NewCommand(%+v) = %v, want EINVALID naming %s", tt.cfg, err, tt.field)
			}
		})
	}
}

func TestCommandConcurrentJobs(t *testing.T) {
	sb := newSandbox(t)
	c := newCommand(t, CommandConfig{Program: sb.script(t, "echo.sh", echoScript), WorkRoot: sb.work})
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			spec := fmt.Sprintf(`{"n":%d}`, i)
			res, err := c.Run(context.Background(), Job{ID: gpumarket.JobID(i), Kind: gpumarket.JobKindLLM, Spec: []byte(spec)})
			if err != nil {
				errs <- err
				return
			}
			defer res.Release()
			out, _ := os.ReadFile(res.Path)
			if !bytes.HasPrefix(out, []byte(spec+"\n")) {
				errs <- fmt.Errorf("job %d got output %q", i, out)
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestCommandDeadlinePassed(t *testing.T) {
	sb := newSandbox(t)
	c := newCommand(t, CommandConfig{Program: sb.script(t, "prog.sh", "echo $$ > PIDS/main\n"), WorkRoot: sb.work})
	_, err := c.Run(t.Context(), Job{ID: 5, Kind: gpumarket.JobKindLLM, Spec: []byte(`{}`), Deadline: time.Unix(1, 0)})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Run(past deadline) = %v, want ErrTimeout", err)
	}
	if pids := sb.reportedPIDs(t); len(pids) != 0 {
		t.Errorf("the program ran (pids %v) for a job past its deadline", pids)
	}
	if ents, _ := os.ReadDir(sb.work); len(ents) != 0 {
		t.Errorf("work root not empty: %v", ents)
	}
}

// BenchmarkCommandRun measures the executor's own overhead per job: work dir,
// spec file, fork/exec of a trivial program, the process-group sweep, output
// and usage checks.
func BenchmarkCommandRun(b *testing.B) {
	sb := newSandbox(b)
	c := newCommand(b, CommandConfig{Program: sb.script(b, "ok.sh", "echo ok > \"$GPUMARKET_OUTPUT_FILE\"\necho '{\"units1\":1}' > usage.json\n"), WorkRoot: sb.work})
	job := Job{ID: 1, Kind: gpumarket.JobKindRender, Spec: []byte(`{"width":1}`)}
	for b.Loop() {
		res, err := c.Run(b.Context(), job)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}

// FuzzDecodeUsage checks the command protocol's usage decoder.
func FuzzDecodeUsage(f *testing.F) {
	f.Add([]byte(`{"units1":1,"units2":2}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"units1":1,"units1":2}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := decodeUsage(b)
		if err != nil {
			return
		}
		// what was accepted re-encodes to an object the decoder accepts again
		again, err := decodeUsage(fmt.Appendf(nil, `{"units1":%d,"units2":%d}`, u.Units1, u.Units2))
		if err != nil || again != u {
			t.Fatalf("decodeUsage round trip: %+v, %v", again, err)
		}
	})
}
