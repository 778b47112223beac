package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
)

func TestParseTokenAmount(t *testing.T) {
	tests := []struct {
		in       string
		decimals uint8
		want     string
		wantErr  string
	}{
		{"5", 6, "5000000", ""},
		{"0.012", 6, "12000", ""},
		{"1.500000", 6, "1500000", ""},
		{".5", 6, "500000", ""},
		{"7", 0, "7", ""},
		{"0.0000001", 6, "", "more than the token's 6 decimals"},
		{"1e6", 6, "", "not a decimal number"},
		{"-1", 6, "", "not a decimal number"},
		{"", 6, "", "not a decimal number"},
		{".", 6, "", "not a decimal number"},
		{strings.Repeat("9", 40), 6, "", "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTokenAmount(tc.in, tc.decimals)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || gpumarket.ErrorCode(err) != gpumarket.EINVALID {
					t.Fatalf("ParseTokenAmount(%q) = %v, %v; want EINVALID %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Fatalf("ParseTokenAmount(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatTokenAmount(t *testing.T) {
	tests := []struct {
		v        int64
		decimals uint8
		want     string
	}{{5_000_000, 6, "5"}, {12_000, 6, "0.012"}, {1, 6, "0.000001"}, {0, 6, "0"}, {1_234_567, 6, "1.234567"}, {42, 0, "42"}}
	for _, tc := range tests {
		if got := FormatTokenAmount(big.NewInt(tc.v), tc.decimals); got != tc.want {
			t.Errorf("FormatTokenAmount(%d, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
		if back, err := ParseTokenAmount(tc.want, tc.decimals); err != nil || back.Int64() != tc.v {
			t.Errorf("ParseTokenAmount(%q) = %v, %v; want %d", tc.want, back, err, tc.v)
		}
	}
}

func TestParseFrames(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{{"1-4", 4, true}, {"4", 4, true}, {"3-3", 1, true}, {"4-1", 0, false}, {"0", 0, false}, {"a-b", 0, false}, {"", 0, false}}
	for _, tc := range tests {
		got, err := ParseFrames(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseFrames(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseFrameRange(t *testing.T) {
	tests := []struct {
		in          string
		first, last uint64
		ok          bool
	}{{"1-4", 1, 4, true}, {"4", 1, 4, true}, {"0-0", 0, 0, true}, {"4-1", 0, 0, false}, {"0", 0, 0, false}, {"", 0, 0, false}}
	for _, tc := range tests {
		first, last, err := ParseFrameRange(tc.in)
		if (err == nil) != tc.ok || first != tc.first || last != tc.last {
			t.Errorf("ParseFrameRange(%q) = %d, %d, %v; want %d, %d ok=%v", tc.in, first, last, err, tc.first, tc.last, tc.ok)
		}
	}
}

func TestEstimateForRenderRange(t *testing.T) {
	tests := []struct {
		params map[string]any
		want   uint64
	}{
		{map[string]any{"frame_start": uint64(2), "frame_end": uint64(5)}, 4},
		{map[string]any{"frame_start": 0, "frame_end": 0}, 1},
		{map[string]any{"frame_end": float64(3)}, 3},
		{map[string]any{"frames": 7}, 7},
		{map[string]any{}, 1},
	}
	for _, tc := range tests {
		if got := EstimateFor(gpumarket.JobKindRender, tc.params).Frames; got != tc.want {
			t.Errorf("EstimateFor(render, %v).Frames = %d, want %d", tc.params, got, tc.want)
		}
	}
}

// wav returns a mono 16-bit PCM WAV of seconds at rate.
func wav(rate, seconds int) []byte {
	data := rate * 2 * seconds
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00")
	le := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	b = append(b, le(rate)...)
	b = append(b, le(rate*2)...)
	b = append(b, 2, 0, 16, 0)
	b = append(b, "data"...)
	b = append(b, le(data)...)
	return append(b, make([]byte, data)...)
}

func TestWAVSeconds(t *testing.T) {
	if got, err := WAVSeconds(wav(8000, 2)); err != nil || got != 2 {
		t.Errorf("WAVSeconds(2 s) = %d, %v; want 2", got, err)
	}
	if _, err := WAVSeconds([]byte("not a wav file at all")); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("WAVSeconds(garbage) = %v, want EINVALID", err)
	}
}

// fakeBlobs is an in-memory BlobStore.
type fakeBlobs struct{ got map[string][]byte }

func (f *fakeBlobs) Put(_ context.Context, r io.Reader, size int64, sum string) (BlobRef, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return BlobRef{}, err
	}
	f.got[sum] = b
	return BlobRef{SHA256: sum, SizeBytes: int64(len(b)), URI: "https://blobs.example/v1/blobs/" + sum}, nil
}

func TestBuildSpec(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "scene.blend"), filepath.Join(dir, "big.blend")
	if err := os.WriteFile(small, []byte("BLENDER-v401 scene"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, make([]byte, MaxInlineInputBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		req     SpecRequest
		blobs   bool
		auto    bool // with blobs: inputs up to MaxInlineInputBytes stay inline
		uploads int  // with blobs: the uploads expected
		wantErr string
		check   func(t *testing.T, s *gpumarket.JobSpec)
	}{
		{name: "llm", req: SpecRequest{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b-instruct-q4", Params: map[string]any{"prompt": "explain reorgs", "max_tokens": 8}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				if e := s.Requirements.Estimate; e.InputTokens != 4 || e.OutputTokens != 8 {
					t.Errorf("estimate %+v, want 4 in, 8 out", e)
				}
			}},
		{name: "tts", req: SpecRequest{Kind: gpumarket.JobKindTTS, Model: "piper", Params: map[string]any{"text": "héllo"}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				if s.Requirements.Estimate.Characters != 5 {
					t.Errorf("characters %d, want 5", s.Requirements.Estimate.Characters)
				}
			}},
		{name: "stt", req: SpecRequest{Kind: gpumarket.JobKindSTT, Model: "whisper", Params: map[string]any{"audio": "AAAA"}, Estimate: gpumarket.Estimate{AudioSeconds: 3}}},
		{name: "render inline", req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "blender-4.1-cycles", Params: map[string]any{"frames": uint64(4)},
			Inputs: []InputFile{{Path: small}}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				in := s.Inputs[1]
				sum := sha256.Sum256([]byte("BLENDER-v401 scene"))
				if in.Name != "scene.blend" || !strings.HasPrefix(in.URI, "data:") || in.SHA256 != hex.EncodeToString(sum[:]) || in.SizeBytes != 18 {
					t.Errorf("input %+v, want scene.blend embedded with its sha256", in)
				}
				if s.Requirements.Estimate.Frames != 4 {
					t.Errorf("frames %d, want 4", s.Requirements.Estimate.Frames)
				}
			}},
		{name: "render to the blob store", blobs: true, uploads: 1, req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "blender-4.1-cycles", Params: map[string]any{"frames": 1},
			Inputs: []InputFile{{Name: "scene", Path: big}}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				if in := s.Inputs[1]; !strings.HasPrefix(in.URI, "https://blobs.example/") || in.SizeBytes != MaxInlineInputBytes+1 {
					t.Errorf("input %+v, want a blob reference", in)
				}
			}},
		{name: "auto: a small file stays inline", blobs: true, auto: true, req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "blender-4.1-cycles", Params: map[string]any{"frames": 1},
			Inputs: []InputFile{{Name: "scene", Path: small}}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				if in := s.Inputs[1]; !strings.HasPrefix(in.URI, "data:") || in.SizeBytes != 18 {
					t.Errorf("input %+v, want the small file embedded", in)
				}
			}},
		{name: "auto: a large file is uploaded", blobs: true, auto: true, uploads: 1, req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "blender-4.1-cycles", Params: map[string]any{"frames": 1},
			Inputs: []InputFile{{Name: "scene", Path: big}}},
			check: func(t *testing.T, s *gpumarket.JobSpec) {
				if in := s.Inputs[1]; !strings.HasPrefix(in.URI, "https://blobs.example/") || in.SizeBytes != MaxInlineInputBytes+1 || len(in.SHA256) != 64 {
					t.Errorf("input %+v, want a blob reference with its sha256 and size", in)
				}
			}},
		{name: "file over the inline limit", req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "m", Params: map[string]any{}, Inputs: []InputFile{{Path: big}}},
			wantErr: "at most 32768 bytes"},
		{name: "missing file", req: SpecRequest{Kind: gpumarket.JobKindRender, Model: "m", Params: map[string]any{}, Inputs: []InputFile{{Path: filepath.Join(dir, "nope")}}},
			wantErr: "does not exist"},
		{name: "no model", req: SpecRequest{Kind: gpumarket.JobKindLLM, Params: map[string]any{"prompt": "x"}}, wantErr: "model"},
		{name: "bad kind", req: SpecRequest{Kind: 9, Model: "m"}, wantErr: "not render, tts, stt or llm"},
		{name: "empty estimate", req: SpecRequest{Kind: gpumarket.JobKindSTT, Model: "whisper", Params: map[string]any{}}, wantErr: "estimate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var blobs BlobStore
			fb := &fakeBlobs{got: map[string][]byte{}}
			if tc.blobs {
				blobs = fb
			}
			b, err := buildSpec(context.Background(), tc.req, blobs, tc.auto)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || gpumarket.ErrorCode(err) != gpumarket.EINVALID {
					t.Fatalf("buildSpec = %v; want EINVALID %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("buildSpec: %v", err)
			}
			s, err := gpumarket.DecodeJobSpec(strings.NewReader(string(b)))
			if err != nil {
				t.Fatalf("the built spec does not decode: %v", err)
			}
			if s.Inputs[0].Name != ParamsInput {
				t.Errorf("first input %q, want %q", s.Inputs[0].Name, ParamsInput)
			}
			if tc.blobs && len(fb.got) != tc.uploads {
				t.Errorf("blob store got %d uploads, want %d", len(fb.got), tc.uploads)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

// TestSaveVerified: bytes that hash to the chain's result hash are saved;
// others are refused with ErrResultMismatch, saving nothing; the download
// is signed for the job's result hash.
func TestSaveVerified(t *testing.T) {
	key, _, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"index":0,"token":"hi"}` + "\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Gpumarket-Signature") == "" || r.Header.Get("X-Gpumarket-Expiry") == "" {
			http.Error(w, "unsigned", http.StatusUnauthorized)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	c := &Client{cfg: Config{Key: key}, http: srv.Client()}
	dir := t.TempDir()
	good := keys.Keccak256(body)

	res, err := c.saveVerified(context.Background(), 7, srv.URL+"/v1/results/x", good, dir+string(filepath.Separator))
	if err != nil {
		t.Fatalf("saveVerified(matching) = %v", err)
	}
	if b, err := os.ReadFile(res.Path); err != nil || string(b) != string(body) || filepath.Base(res.Path) != "job-7.result" {
		t.Fatalf("saved %s = %q (%v)", res.Path, b, err)
	}

	out := filepath.Join(dir, "bad.out")
	_, err = c.saveVerified(context.Background(), 8, srv.URL+"/v1/results/x", keys.Keccak256([]byte("other")), out)
	if !errors.Is(err, ErrResultMismatch) || gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "gpumarket job dispute --job 8") {
		t.Fatalf("saveVerified(mismatch) = %v, want ErrResultMismatch offering a dispute", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a mismatching result was saved (%v)", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestCondErrors(t *testing.T) {
	err := condErr(ErrBelowBand, gpumarket.EINVALID, "max price %s is below", "1")
	wrapped := errors.Join(errors.New("submit"), err)
	if !errors.Is(wrapped, ErrBelowBand) || errors.Is(wrapped, ErrNoProvider) || gpumarket.ErrorCode(wrapped) != gpumarket.EINVALID || err.Error() != "max price 1 is below" {
		t.Fatalf("condErr: is=%v code=%s msg=%q", errors.Is(wrapped, ErrBelowBand), gpumarket.ErrorCode(wrapped), err.Error())
	}
}
