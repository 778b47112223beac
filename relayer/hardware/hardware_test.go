package hardware

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func validNVIDIA() Hardware {
	return Hardware{GPUModel: "NVIDIA GeForce RTX 4090", GPUCount: 2, VRAMMiB: 24564, Architecture: gpumarket.ArchNVIDIA,
		CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "8.9", DeviceIDs: []string{"GPU-a", "GPU-b"}}
}

func TestHardwareValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Hardware)
		field string // "" for valid
	}{
		{"valid nvidia", func(*Hardware) {}, ""},
		{"no device ids", func(h *Hardware) { h.DeviceIDs = nil }, ""},
		{"valid amd", func(h *Hardware) {
			*h = Hardware{GPUModel: "AMD Instinct MI300X", GPUCount: 8, VRAMMiB: 196608, Architecture: gpumarket.ArchAMD,
				ROCmVersion: "6.1", DriverVersion: "6.7.0", ComputeCapability: "gfx942"}
		}, ""},
		{"valid apple", func(h *Hardware) {
			*h = Hardware{GPUModel: "Apple M2 Max", GPUCount: 1, VRAMMiB: 73728, Architecture: gpumarket.ArchApple, DriverVersion: "macOS 14.5"}
		}, ""},
		{"zero count", func(h *Hardware) { h.GPUCount = 0 }, "gpu_count"},
		{"too many", func(h *Hardware) { h.GPUCount = gpumarket.MaxGPUCount + 1 }, "gpu_count"},
		{"zero vram", func(h *Hardware) { h.VRAMMiB = 0 }, "vram_mib"},
		{"no model", func(h *Hardware) { h.GPUModel = "" }, "gpu_model"},
		{"bad architecture", func(h *Hardware) { h.Architecture = "intel" }, "architecture"},
		{"no driver", func(h *Hardware) { h.DriverVersion = "" }, "driver_version"},
		{"nvidia without cuda", func(h *Hardware) { h.CUDAVersion = "" }, "cuda_version"},
		{"nvidia cuda not a version", func(h *Hardware) { h.CUDAVersion = "twelve" }, "cuda_version"},
		{"nvidia with rocm", func(h *Hardware) { h.ROCmVersion = "6.1" }, "rocm_version"},
		{"nvidia compute cap sm_89", func(h *Hardware) { h.ComputeCapability = "sm_89" }, "compute_capability"},
		{"nvidia no compute cap", func(h *Hardware) { h.ComputeCapability = "" }, "compute_capability"},
		{"device ids count", func(h *Hardware) { h.DeviceIDs = []string{"GPU-a"} }, "device_ids"},
		{"duplicate device ids", func(h *Hardware) { h.DeviceIDs = []string{"GPU-a", "GPU-a"} }, "device_ids[1]"},
		{"apple with cuda", func(h *Hardware) { h.Architecture = gpumarket.ArchApple }, "cuda_version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := validNVIDIA()
			tt.edit(&h)
			err := h.Validate()
			if tt.field == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.HasPrefix(gpumarket.ErrorMessage(err), tt.field+": ") {
				t.Errorf("Validate() = %v, want an EINVALID error naming %s", err, tt.field)
			}
		})
	}
}

func writeFile(tb testing.TB, content string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "file.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	m2 := Hardware{GPUModel: "Apple M2 Max (38-core GPU)", GPUCount: 1, VRAMMiB: 73728, Architecture: gpumarket.ArchApple, DriverVersion: "macOS 14.5"}
	const good = `{"gpu_model":"A","gpu_count":1,"vram_mib":1024,"architecture":"amd","rocm_version":"6.1","driver_version":"6.7","compute_capability":"gfx1100"}`
	tests := []struct {
		name   string
		path   func(testing.TB) string
		want   Hardware
		errHas string
	}{
		{"m2 max", func(testing.TB) string { return "testdata/hardware-m2max.json" }, m2, ""},
		{"amd", func(tb testing.TB) string { return writeFile(tb, good+"\n") },
			Hardware{GPUModel: "A", GPUCount: 1, VRAMMiB: 1024, Architecture: gpumarket.ArchAMD, ROCmVersion: "6.1", DriverVersion: "6.7", ComputeCapability: "gfx1100"}, ""},
		{"missing", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "nope.json") }, Hardware{}, "does not exist"},
		{"unknown field", func(tb testing.TB) string { return writeFile(tb, good[:len(good)-1]+`,"gpu_modle":"B"}`) }, Hardware{}, "unknown field"},
		{"trailing data", func(tb testing.TB) string { return writeFile(tb, good+"{}") }, Hardware{}, "data after the value"},
		{"two values", func(tb testing.TB) string { return writeFile(tb, good+good) }, Hardware{}, "data after the value"},
		{"too large", func(tb testing.TB) string { return writeFile(tb, good+strings.Repeat(" ", MaxHardwareBytes)) }, Hardware{}, "larger than 65536 bytes"},
		{"not JSON", func(tb testing.TB) string { return writeFile(tb, "gpu_model: A") }, Hardware{}, "malformed JSON"},
		{"wrong type", func(tb testing.TB) string { return writeFile(tb, `{"gpu_count":"1"}`) }, Hardware{}, "malformed JSON"},
		{"invalid", func(tb testing.TB) string {
			return writeFile(tb, strings.Replace(good, `"gpu_count":1`, `"gpu_count":0`, 1))
		}, Hardware{}, "gpu_count: 0 is not in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.path(t)
			got, err := LoadFile(path)
			if tt.errHas == "" {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("LoadFile(%s) = %+v, %v; want %+v", path, got, err, tt.want)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), path) {
				t.Errorf("LoadFile(%s) = %v, want an EINVALID error naming the file and containing %q", path, err, tt.errHas)
			}
		})
	}
}
