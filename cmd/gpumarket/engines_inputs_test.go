package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

// TestEnginesFetchURLInputs builds an openai stt engine as `relayer run
// --engine` does and runs a job whose audio is a blob-store URL on
// loopback: fetched with --allow-private-inputs, refused without it.
func TestEnginesFetchURLInputs(t *testing.T) {
	audio := silentWAV(16000, 2)
	sum := sha256.Sum256(audio)
	digest := hex.EncodeToString(sum[:])
	blobs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/blobs/"+digest {
			http.NotFound(w, r)
			return
		}
		w.Write(audio)
	}))
	defer blobs.Close()
	var transcribed int
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		transcribed++
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"text":"silence"}`))
	}))
	defer server.Close()

	params, err := json.Marshal(openai.STTParams{})
	if err != nil {
		t.Fatal(err)
	}
	js := gpumarket.JobSpec{Kind: gpumarket.JobKindSTT, Model: "whisper-small",
		Inputs: []gpumarket.JobInput{{Name: openai.ParamsInput, URI: gpumarket.DataURI("application/json", params)},
			{Name: "audio", URI: blobs.URL + "/v1/blobs/" + digest, SHA256: digest, SizeBytes: uint64(len(audio))}},
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{AudioSeconds: 3}}}
	spec, err := json.Marshal(js)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		allowPrivate bool
		want         string // in the error; "" for success
	}{
		{"private inputs allowed", true, ""},
		{"private inputs refused", false, "not a public address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := DefaultRelayerConfig()
			rc.DataDir, rc.AllowPrivateInputs = t.TempDir(), tt.allowPrivate
			env := &engineEnv{rc: &rc, preflight: rc.preflight()}
			r, err := parseEngineRoute("stt:whisper-small=openai:" + server.URL)
			if err != nil {
				t.Fatal(err)
			}
			ex, err := engineBuilders[r.engine].build(env, r)
			if err != nil {
				t.Fatal(err)
			}
			before := transcribed
			res, err := ex.Run(t.Context(), executor.Job{ID: 3, Kind: gpumarket.JobKindSTT, Spec: spec})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || transcribed != before {
					t.Fatalf("Run error = %v (%d requests sent); want %q and nothing sent", err, transcribed-before, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			defer res.Release()
			if transcribed != before+1 || res.Usage.Units1 != 2 {
				t.Fatalf("requests %d, usage %+v; want one transcription of 2 s of audio", transcribed-before, res.Usage)
			}
		})
	}
}
