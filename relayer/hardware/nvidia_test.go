package hardware

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

const banner = `Tue Mar 12 10:00:00 2024
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.14              Driver Version: 550.54.14      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+
`

// writeScript writes an executable shell script with body into a new
// temporary directory and returns its path. The files map is written beside
// it; the script finds them in $D.
func writeScript(tb testing.TB, body string, files map[string]string) string {
	tb.Helper()
	if runtime.GOOS == "windows" {
		tb.Skip("fake nvidia-smi is a shell script")
	}
	dir := tb.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(dir, "nvidia-smi")
	script := "#!/bin/sh\nD='" + dir + "'\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		tb.Fatal(err)
	}
	return path
}

// fakeSMI returns a fake nvidia-smi that prints csv for exactly Detect's
// query arguments, the banner for no arguments, and fails otherwise.
func fakeSMI(tb testing.TB, csv, banner string) string {
	tb.Helper()
	return writeScript(tb, `
if [ "$#" -eq 0 ]; then cat "$D/banner"; exit 0; fi
if [ "$#" -eq 2 ] && [ "$1" = "--query-gpu=name,memory.total,driver_version,compute_cap,uuid" ] && [ "$2" = "--format=csv,noheader,nounits" ]; then
	cat "$D/csv"; exit 0
fi
echo "unexpected arguments: $*" >&2
exit 2`, map[string]string{"csv": csv, "banner": banner})
}

func TestDetect(t *testing.T) {
	// Not parallel: a script written while another test forks is "text file busy" (ETXTBSY) when run.
	eight := ""
	for i, mem := range []string{"81559", "81559", "81559", "81000", "81559", "81559", "81559", "81559"} {
		eight += "NVIDIA H100 80GB HBM3, " + mem + ", 550.54.15, 9.0, GPU-0000000" + string(rune('0'+i)) + "\n"
	}
	tests := []struct {
		name    string
		smi     func(testing.TB) string
		want    Hardware
		code    string   // error code, "" for success
		errHas  []string // substrings of the error
		errIs   error
		timeout time.Duration
	}{
		{
			name: "one GPU",
			smi: func(tb testing.TB) string {
				return fakeSMI(tb, "NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-5d8f2a1c-0000-4000-8000-000000000001\n", banner)
			},
			want: Hardware{GPUModel: "NVIDIA GeForce RTX 4090", GPUCount: 1, VRAMMiB: 24564, Architecture: gpumarket.ArchNVIDIA,
				CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "8.9", DeviceIDs: []string{"GPU-5d8f2a1c-0000-4000-8000-000000000001"}},
		},
		{
			name: "eight GPUs, smallest VRAM",
			smi:  func(tb testing.TB) string { return fakeSMI(tb, eight, banner) },
			want: Hardware{GPUModel: "NVIDIA H100 80GB HBM3", GPUCount: 8, VRAMMiB: 81000, Architecture: gpumarket.ArchNVIDIA,
				CUDAVersion: "12.4", DriverVersion: "550.54.15", ComputeCapability: "9.0",
				DeviceIDs: []string{"GPU-00000000", "GPU-00000001", "GPU-00000002", "GPU-00000003", "GPU-00000004", "GPU-00000005", "GPU-00000006", "GPU-00000007"}},
		},
		{
			name: "mixed models",
			smi: func(tb testing.TB) string {
				return fakeSMI(tb, "NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-a\nNVIDIA GeForce RTX 3090, 24576, 550.54.14, 8.6, GPU-b\n", banner)
			},
			code: gpumarket.EINVALID, errHas: []string{"mixed GPU models", `"NVIDIA GeForce RTX 4090"`, `"NVIDIA GeForce RTX 3090"`, "hardware file"},
		},
		{
			name:   "garbage",
			smi:    func(tb testing.TB) string { return fakeSMI(tb, "<html>not a GPU</html>\n", banner) },
			code:   gpumarket.EINVALID,
			errHas: []string{"line 1", "want 5"},
		},
		{
			name: "no CUDA version",
			smi: func(tb testing.TB) string {
				return fakeSMI(tb, "NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-a\n", "NVIDIA-SMI 550\n")
			},
			code:   gpumarket.EINVALID,
			errHas: []string{"CUDA Version"},
		},
		{
			name:   "no GPUs",
			smi:    func(tb testing.TB) string { return fakeSMI(tb, "", banner) },
			code:   gpumarket.EINVALID,
			errHas: []string{"no GPUs"},
		},
		{
			name: "non-zero exit",
			smi: func(tb testing.TB) string {
				return writeScript(tb, `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2; exit 9`, nil)
			},
			code:   gpumarket.EUNAVAILABLE,
			errHas: []string{"exit status 9", "couldn't communicate with the NVIDIA driver"},
		},
		{
			name: "huge output",
			smi: func(tb testing.TB) string {
				return writeScript(tb, `yes "NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-a"`, nil)
			},
			code:   gpumarket.EINVALID,
			errHas: []string{"exceeds 1048576 bytes"},
		},
		{
			name:    "hang killed by ctx timeout",
			smi:     func(tb testing.TB) string { return writeScript(tb, `sleep 30`, nil) },
			timeout: 300 * time.Millisecond,
			errIs:   context.DeadlineExceeded,
		},
		{
			name:  "absent",
			smi:   func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "nvidia-smi") },
			errIs: ErrNoDetector,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: a script written while another test forks is "text file busy" (ETXTBSY) when run.
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			start := time.Now()
			got, err := Detect(ctx, tt.smi(t))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Detect took %v", d)
			}
			if tt.code == "" && tt.errIs == nil {
				if err != nil {
					t.Fatalf("Detect = %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Detect = %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Detect = %+v, nil; want an error", got)
			}
			if tt.code != "" && gpumarket.ErrorCode(err) != tt.code {
				t.Errorf("Detect error %q has code %s, want %s", err, gpumarket.ErrorCode(err), tt.code)
			}
			if tt.errIs != nil && !errors.Is(err, tt.errIs) {
				t.Errorf("Detect error %q is not %v", err, tt.errIs)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Detect error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestDetectPath(t *testing.T) {
	smi := fakeSMI(t, "NVIDIA GeForce RTX 4060, 8188, 550.54.14, 8.9, GPU-a\n", banner)
	t.Setenv("PATH", filepath.Dir(smi)+string(os.PathListSeparator)+os.Getenv("PATH"))
	hw, err := Detect(context.Background(), "")
	if err != nil || hw.GPUModel != "NVIDIA GeForce RTX 4060" {
		t.Errorf("Detect(PATH with nvidia-smi) = %+v, %v", hw, err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Detect(context.Background(), ""); !errors.Is(err, ErrNoDetector) {
		t.Errorf("Detect(PATH without nvidia-smi) = %v, want ErrNoDetector", err)
	}
}

func TestParseNvidiaSMI(t *testing.T) {
	// Not parallel: a script written while another test forks is "text file busy" (ETXTBSY) when run.
	line := func(name, mem, driver, cc, uuid string) string {
		return name + ", " + mem + ", " + driver + ", " + cc + ", " + uuid + "\n"
	}
	many := ""
	for i := range gpumarket.MaxGPUCount + 1 {
		many += line("GPU", "1024", "550", "8.9", "GPU-"+strings.Repeat("x", i+1))
	}
	tests := []struct {
		name   string
		in     string
		errHas string // "" for success
		count  uint32
	}{
		{"CRLF and blank lines", "\r\n" + strings.ReplaceAll(line("A", "1024", "550", "8.9", "GPU-a"), "\n", "\r\n") + "\n\n" + line("A", "2048", "550", "8.9", "GPU-b"), "", 2},
		{"64 GPUs", many[:strings.LastIndex(many[:len(many)-1], "\n")+1], "", 64},
		{"65 GPUs", many, "more than 64 GPUs", 0},
		{"too few columns", "A, 1024, 550, 8.9\n", "4 columns", 0},
		{"too many columns", "A, B, 1024, 550, 8.9, GPU-a\n", "6 columns", 0},
		{"memory N/A", line("A", "[N/A]", "550", "8.9", "GPU-a"), "memory.total", 0},
		{"memory with unit", line("A", "1024 MiB", "550", "8.9", "GPU-a"), "memory.total", 0},
		{"memory zero", line("A", "0", "550", "8.9", "GPU-a"), "memory.total", 0},
		{"memory negative", line("A", "-1", "550", "8.9", "GPU-a"), "memory.total", 0},
		{"memory too large", line("A", "1048577", "550", "8.9", "GPU-a"), "memory.total", 0},
		{"compute cap N/A", line("A", "1024", "550", "[N/A]", "GPU-a"), "compute_cap", 0},
		{"compute cap sm_89", line("A", "1024", "550", "sm_89", "GPU-a"), "compute_cap", 0},
		{"empty name", line("", "1024", "550", "8.9", "GPU-a"), "gpu_model", 0},
		{"empty driver", line("A", "1024", "", "8.9", "GPU-a"), "driver_version", 0},
		{"empty uuid", line("A", "1024", "550", "8.9", ""), "device_ids[0]", 0},
		{"duplicate uuid", line("A", "1024", "550", "8.9", "GPU-a") + line("A", "1024", "550", "8.9", "GPU-a"), "device_ids[1]", 0},
		{"control character", line("A\x1b[31m", "1024", "550", "8.9", "GPU-a"), "control character", 0},
		{"different drivers", line("A", "1024", "550", "8.9", "GPU-a") + line("A", "1024", "535", "8.9", "GPU-b"), "driver_version", 0},
		{"header line", "name, memory.total [MiB], driver_version, compute_cap, uuid\n", "memory.total", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: a script written while another test forks is "text file busy" (ETXTBSY) when run.
			hw, err := parseNvidiaSMI([]byte(tt.in), "12.4")
			if tt.errHas == "" {
				if err != nil || hw.GPUCount != tt.count || len(hw.DeviceIDs) != int(tt.count) {
					t.Errorf("parseNvidiaSMI = %+v, %v; want %d GPUs", hw, err, tt.count)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("parseNvidiaSMI = %v, want an EINVALID error containing %q", err, tt.errHas)
			}
		})
	}
}

func TestParseCUDAVersion(t *testing.T) {
	// Not parallel: a script written while another test forks is "text file busy" (ETXTBSY) when run.
	tests := []struct {
		in, want string
	}{
		{banner, "12.4"},
		{"| NVIDIA-SMI 570.86.15   Driver Version: 570.86.15   CUDA Version: 12.8  |", "12.8"},
		{"CUDA Version:12.10", "12.10"},
		{"CUDA Version: N/A", ""},
		{"CUDA Version: 12", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := parseCUDAVersion([]byte(tt.in))
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("parseCUDAVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseNvidiaSMI(f *testing.F) {
	for _, s := range []string{
		"NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-5d8f2a1c-0000-4000-8000-000000000001\n",
		"NVIDIA H100 80GB HBM3, 81559, 550.54.15, 9.0, GPU-a\nNVIDIA H100 80GB HBM3, 81000, 550.54.15, 9.0, GPU-b\n",
		"A, 1, 1, 1.0, x\r\n\r\n",
		"A, 1024, 550, 8.9, GPU-a\nB, 1024, 550, 8.9, GPU-b\n",
		"A, [N/A], 550, 8.9, GPU-a\n",
		"name, memory.total [MiB], driver_version, compute_cap, uuid\n",
		"",
		",,,,\n",
		"A, 4294967296, 550, 8.9, GPU-a\n",
		"\xff, 1024, 550, 8.9, GPU-a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		hw, err := parseNvidiaSMI(in, "12.4")
		if err != nil {
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Fatalf("parseNvidiaSMI error %q has code %s, want invalid", err, gpumarket.ErrorCode(err))
			}
			return
		}
		if hw.GPUCount == 0 || hw.GPUCount > gpumarket.MaxGPUCount || len(hw.DeviceIDs) != int(hw.GPUCount) {
			t.Fatalf("parseNvidiaSMI = %+v: count and device ids disagree", hw)
		}
		if hw.Architecture != gpumarket.ArchNVIDIA || hw.CUDAVersion != "12.4" {
			t.Fatalf("parseNvidiaSMI = %+v: wrong architecture or CUDA version", hw)
		}
		if err := hw.Validate(); err != nil {
			t.Fatalf("parseNvidiaSMI = %+v, which does not validate: %v", hw, err)
		}
		// The result is a fixed point: printing it back (with its smallest
		// VRAM on every GPU) parses to the same hardware.
		var b strings.Builder
		for _, id := range hw.DeviceIDs {
			b.WriteString(strings.Join([]string{hw.GPUModel, strconv.FormatUint(uint64(hw.VRAMMiB), 10), hw.DriverVersion, hw.ComputeCapability, id}, ", ") + "\n")
		}
		again, err := parseNvidiaSMI([]byte(b.String()), "12.4")
		if err != nil || !reflect.DeepEqual(again, hw) {
			t.Fatalf("re-parse of %q = %+v, %v; want %+v", b.String(), again, err, hw)
		}
	})
}
