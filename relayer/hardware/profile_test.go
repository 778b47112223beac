package hardware

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

var (
	testProvider = gpumarket.Address{0x70, 0x99}
	testToken    = gpumarket.Address{0x5f, 0xbd}
	testNow      = time.Unix(1_790_000_000, 500_000_000)
)

// TestExampleProfiles checks that every example profile in testdata, with
// its hardware, makes an attestation the root package accepts, and that the
// JSON of that attestation decodes back to it.
func TestExampleProfiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		profile, hardwareFile string
		source                string
		kinds                 []gpumarket.JobKind
		ttl                   time.Duration
	}{
		{"testdata/profile-h100.json", "", SourceProfile, []gpumarket.JobKind{gpumarket.JobKindRender, gpumarket.JobKindLLM}, 24 * time.Hour},
		{"testdata/profile-rtx4060.json", "", SourceProfile, []gpumarket.JobKind{gpumarket.JobKindTTS, gpumarket.JobKindSTT}, 12 * time.Hour},
		{"testdata/profile-m2max.json", "testdata/hardware-m2max.json", SourceFile, []gpumarket.JobKind{gpumarket.JobKindSTT, gpumarket.JobKindLLM}, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.profile), func(t *testing.T) {
			t.Parallel()
			p, err := LoadProfile(tt.profile)
			if err != nil {
				t.Fatalf("LoadProfile = %v", err)
			}
			hw, source, err := Resolve(context.Background(), p, filepath.Join(t.TempDir(), "no-nvidia-smi"), tt.hardwareFile)
			if err != nil || source != tt.source {
				t.Fatalf("Resolve = %s, %v; want source %s", source, err, tt.source)
			}
			if p.Token.IsZero() {
				p.Token = testToken
			}
			a, err := p.Attestation(testProvider, hw, testNow)
			if err != nil {
				t.Fatalf("Attestation = %v", err)
			}
			if a.IssuedAt != testNow.Unix() || a.ExpiresAt-a.IssuedAt != int64(tt.ttl/time.Second) {
				t.Errorf("Attestation times = [%d, %d), want [%d, +%v)", a.IssuedAt, a.ExpiresAt, testNow.Unix(), tt.ttl)
			}
			for _, k := range tt.kinds {
				if a.Capability(k) == nil {
					t.Errorf("Attestation has no %v capability", k)
				}
			}
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			back, err := gpumarket.DecodeAttestation(bytes.NewReader(b))
			if err != nil || !reflect.DeepEqual(back, a) {
				t.Errorf("DecodeAttestation(%s) = %+v, %v; want %+v", b, back, err, a)
			}
		})
	}
}

const goodProfile = `{
  "region": "eu-west",
  "slots": 2,
  "token": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  "capabilities": [{"kind": "llm", "models": ["llama-3-8b"], "prices": [{"unit": "1k_tokens", "amount": "1200"}]}]
}`

// withFields returns goodProfile with its closing brace replaced by extra fields.
func withFields(extra string) string {
	return strings.TrimSuffix(goodProfile, "\n}") + ",\n" + extra + "\n}"
}

func TestLoadProfile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		json   string
		check  func(*Profile) bool
		errHas string // "" for success
	}{
		{"minimal", goodProfile, func(p *Profile) bool {
			return p.Region == "eu-west" && p.Slots == 2 && p.Hardware == nil && p.AttestationTTL() == DefaultAttestationTTL &&
				p.Capabilities[0].Price(gpumarket.UnitKTokens).Cmp(big.NewInt(1200)) == 0
		}, ""},
		{"no token", strings.Replace(goodProfile, `"token": "0x5fbdb2315678afecb367f032d93f642f64180aa3",`, "", 1),
			func(p *Profile) bool { return p.Token.IsZero() }, ""},
		{"ttl", withFields(`"attestation_ttl": "720h"`), func(p *Profile) bool { return p.AttestationTTL() == 30*24*time.Hour }, ""},
		{"hardware", withFields(`"hardware": {"gpu_model":"Apple M2","gpu_count":1,"vram_mib":16384,"architecture":"apple","driver_version":"macOS 14"}`),
			func(p *Profile) bool { return p.Hardware != nil && p.Hardware.GPUModel == "Apple M2" }, ""},
		{"ttl too long", withFields(`"attestation_ttl": "721h"`), nil, "attestation_ttl"},
		{"ttl too short", withFields(`"attestation_ttl": "30s"`), nil, "attestation_ttl"},
		{"ttl zero", withFields(`"attestation_ttl": "0s"`), nil, "attestation_ttl"},
		{"ttl negative", withFields(`"attestation_ttl": "-1h"`), nil, "attestation_ttl"},
		{"ttl fraction", withFields(`"attestation_ttl": "1h0.5s"`), nil, "attestation_ttl"},
		{"ttl not a duration", withFields(`"attestation_ttl": "1 day"`), nil, "attestation_ttl"},
		{"ttl a number", withFields(`"attestation_ttl": 86400`), nil, "malformed JSON"},
		{"unknown field", withFields(`"regoin": "x"`), nil, "unknown field"},
		{"unknown nested field", strings.Replace(goodProfile, `"kind": "llm"`, `"kind": "llm", "model": "x"`, 1), nil, "unknown field"},
		{"unknown hardware field", withFields(`"hardware": {"gpu_model":"A","gpus":1}`), nil, "unknown field"},
		{"unknown price field", strings.Replace(goodProfile, `"amount": "1200"`, `"amount": "1200", "currency": "usd"`, 1), nil, "unknown field"},
		{"fractional price", strings.Replace(goodProfile, `"1200"`, `"0.5"`, 1), nil, "amount"},
		{"numeric price", strings.Replace(goodProfile, `"1200"`, `1200`, 1), nil, "malformed JSON"},
		{"trailing data", goodProfile + "x", nil, "data after the value"},
		{"too large", goodProfile + strings.Repeat(" ", MaxProfileBytes), nil, "larger than"},
		{"no region", strings.Replace(goodProfile, `"eu-west"`, `""`, 1), nil, "region: is required"},
		{"zero slots", strings.Replace(goodProfile, `"slots": 2`, `"slots": 0`, 1), nil, "slots: 0 is not in"},
		{"no capabilities", goodProfile[:strings.Index(goodProfile, `"capabilities"`)] + `"capabilities": []}`, nil, "capabilities: has 0 entries"},
		{"wrong unit", strings.Replace(goodProfile, `"1k_tokens"`, `"frame"`, 1), nil, "capabilities[0].prices[0].unit"},
		{"bad kind", strings.Replace(goodProfile, `"llm"`, `"gaming"`, 1), nil, "gaming"},
		{"invalid hardware", withFields(`"hardware": {"gpu_model":"A","gpu_count":0,"vram_mib":1,"architecture":"apple","driver_version":"1"}`), nil, "hardware.gpu_count"},
		{"bad token", strings.Replace(goodProfile, `"0x5fbdb2315678afecb367f032d93f642f64180aa3"`, `"0x5fbd"`, 1), nil, "address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, tt.json)
			p, err := LoadProfile(path)
			if tt.errHas == "" {
				if err != nil || !tt.check(p) {
					t.Errorf("LoadProfile = %+v, %v", p, err)
				}
				return
			}
			if err == nil || gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("LoadProfile = %+v, %v; want an EINVALID error containing %q", p, err, tt.errHas)
			}
		})
	}
}

func TestProfileJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p, err := LoadProfile("testdata/profile-h100.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Profile
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, p) {
		t.Errorf("Unmarshal(Marshal(profile)) = %+v, %v; want %+v", back, err, p)
	}
}

func TestProfileAttestation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Profile, *Hardware, *gpumarket.Address)
		field string // "" for success
	}{
		{"valid", func(*Profile, *Hardware, *gpumarket.Address) {}, ""},
		{"zero token", func(p *Profile, _ *Hardware, _ *gpumarket.Address) { p.Token = gpumarket.Address{} }, "token"},
		{"zero provider", func(_ *Profile, _ *Hardware, a *gpumarket.Address) { *a = gpumarket.Address{} }, "provider"},
		{"bad hardware", func(_ *Profile, h *Hardware, _ *gpumarket.Address) { h.GPUCount = 0 }, "gpu_count"},
		{"empty hardware", func(_ *Profile, h *Hardware, _ *gpumarket.Address) { *h = Hardware{} }, "gpu_count"},
		{"too many slots", func(p *Profile, _ *Hardware, _ *gpumarket.Address) { p.Slots = gpumarket.MaxSlots + 1 }, "slots"},
		{"ttl too long", func(p *Profile, _ *Hardware, _ *gpumarket.Address) { p.TTL = 31 * 24 * time.Hour }, "attestation_ttl"},
		{"missing amount", func(p *Profile, _ *Hardware, _ *gpumarket.Address) { p.Capabilities[0].Prices[0].Amount = nil }, "capabilities[0].prices[0].amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := LoadProfile(writeFile(t, goodProfile))
			if err != nil {
				t.Fatal(err)
			}
			hw, provider := validNVIDIA(), testProvider
			tt.edit(p, &hw, &provider)
			a, err := p.Attestation(provider, hw, testNow)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Attestation = %v", err)
				}
				if a.Provider != provider || a.GPUModel != hw.GPUModel || a.Token != p.Token || a.IssuedAt != testNow.Unix() || a.ExpiresAt != testNow.Unix()+86400 {
					t.Errorf("Attestation = %+v", a)
				}
				// The attestation shares nothing with the profile or hardware.
				a.Capabilities[0].Prices[0].Amount.SetInt64(1)
				a.Capabilities[0].Models[0] = "changed"
				a.DeviceIDs[0] = "changed"
				if p.Capabilities[0].Price(gpumarket.UnitKTokens).Int64() != 1200 || p.Capabilities[0].Models[0] != "llama-3-8b" || hw.DeviceIDs[0] != "GPU-a" {
					t.Errorf("changing the attestation changed the profile or hardware")
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(gpumarket.ErrorMessage(err), tt.field+":") {
				t.Errorf("Attestation = %v, want an EINVALID error naming %s", err, tt.field)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	// Not parallel: it runs fake nvidia-smi scripts (ETXTBSY when written while another test forks).
	const csv = "NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9, GPU-a\n"
	withHW, err := LoadProfile("testdata/profile-h100.json")
	if err != nil {
		t.Fatal(err)
	}
	noHW, err := LoadProfile("testdata/profile-m2max.json")
	if err != nil {
		t.Fatal(err)
	}
	badHW := *withHW
	badHW.Hardware = &Hardware{GPUModel: "x"}
	tests := []struct {
		name         string
		profile      *Profile
		smi          bool // a working fake nvidia-smi; otherwise an absent one
		hardwareFile string
		wantModel    string
		wantSource   string
		errHas       string
		errIs        error
	}{
		{"profile wins over file and nvidia-smi", withHW, true, "testdata/hardware-m2max.json", "NVIDIA H100 80GB HBM3", SourceProfile, "", nil},
		{"file wins over nvidia-smi", noHW, true, "testdata/hardware-m2max.json", "Apple M2 Max (38-core GPU)", SourceFile, "", nil},
		{"nvidia-smi", noHW, true, "", "NVIDIA GeForce RTX 4090", SourceNvidiaSMI, "", nil},
		{"nil profile", nil, true, "", "NVIDIA GeForce RTX 4090", SourceNvidiaSMI, "", nil},
		{"nothing", noHW, false, "", "", "", "hardware file", ErrNoDetector},
		{"missing file", noHW, true, "testdata/nope.json", "", "", "does not exist", nil},
		{"invalid profile hardware", &badHW, true, "", "", "", "hardware.gpu_count", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: see above.
			smi := filepath.Join(t.TempDir(), "absent")
			if tt.smi {
				smi = fakeSMI(t, csv, banner)
			}
			hw, source, err := Resolve(context.Background(), tt.profile, smi, tt.hardwareFile)
			if tt.errHas == "" {
				if err != nil || hw.GPUModel != tt.wantModel || source != tt.wantSource {
					t.Errorf("Resolve = %q, %s, %v; want %q, %s", hw.GPUModel, source, err, tt.wantModel, tt.wantSource)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("Resolve = %v, want an EINVALID error containing %q", err, tt.errHas)
			}
			if tt.errIs != nil && !errors.Is(err, tt.errIs) {
				t.Errorf("Resolve = %v, want an error wrapping %v", err, tt.errIs)
			}
		})
	}
}
