package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
)

// exampleScene is the README's render tour scene (tools/make-example-scene.py).
const exampleScene = "../../examples/scene.blend"

// TestJobRunRendersABlendThroughTheBlobStore is the README's render tour on
// a real stack: `job run --kind render --input examples/scene.blend`, a
// scene over the inline limit, uploads it to the matcher's input store; a
// relayer running Blender (--engine render=blender, --allow-private-inputs
// since the matcher is on loopback) fetches it by URI with its sha256 and
// size, renders the frame, and the client keeps the PNG only because it
// hashes to the chain's result hash.
func TestJobRunRendersABlendThroughTheBlobStore(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	if _, err := exec.LookPath("blender"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("blender is missing (run tools/ensure-engines.sh)")
		}
		t.Skip("blender is missing (run tools/ensure-engines.sh)")
	}
	scene, err := os.ReadFile(exampleScene)
	if err != nil {
		t.Fatal(err)
	}
	if len(scene) <= client.MaxInlineInputBytes {
		t.Fatalf("%s is %d bytes: the test needs a scene over the inline limit %d", exampleScene, len(scene), client.MaxInlineInputBytes)
	}
	sum := sha256.Sum256(scene)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s := startJobStack(t, ctx, "--engine", "render=blender", "--allow-private-inputs")
	alice := s.keyFile(t, "alice", devKeyHex(s.sys, 1))
	render := []string{"--kind", "render", "--model", "blender-4.1-cycles", "--input", exampleScene,
		"--frames", "1", "--width", "64", "--height", "48", "--samples", "4", "--min-vram-mib", "16000"}

	var quoted bool
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if code, out, _ := s.job(t, ctx, "", append([]string{"quote"}, render...)...); code == 0 && strings.Contains(out, "market band") {
			quoted = true
			break
		}
	}
	if !quoted {
		_, _, errOut := s.job(t, ctx, "", append([]string{"quote"}, render...)...)
		t.Fatalf("job quote never succeeded: %s%s", errOut, s.logs())
	}
	out := filepath.Join(s.dir, "frame.png")
	code, stdout, errOut := s.job(t, ctx, alice, append([]string{"run", "--max-price", "1", "--token", "USDT", "--out", out}, render...)...)
	if code != 0 || strings.TrimSpace(stdout) != out {
		t.Fatalf("job run --kind render: exit %d, stdout %q\n%s%s", code, stdout, errOut, s.logs())
	}
	id := lastJobID(t, errOut)
	checkResult(t, ctx, s, id, out, "\x89PNG")
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the result is not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 64 || got.Y != 48 {
		t.Errorf("rendered %v, want 64x48", got)
	}

	// The spec on-chain references the scene in the input store by its
	// sha256 and size, not embedded.
	r, err := s.market.JobRecord(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(r.SpecURI.Text())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := gpumarket.DecodeJobSpec(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the job's spec (%s) does not decode: %v", r.SpecURI, err)
	}
	var sceneIn *gpumarket.JobInput
	for i := range spec.Inputs {
		if spec.Inputs[i].Name == client.SceneInput {
			sceneIn = &spec.Inputs[i]
		}
	}
	digest := hex.EncodeToString(sum[:])
	if sceneIn == nil || sceneIn.URI != s.matcherURL+"/v1/blobs/"+digest || sceneIn.SHA256 != digest || sceneIn.SizeBytes != uint64(len(scene)) {
		t.Errorf("scene input %+v, want %s/v1/blobs/%s with its sha256 and %d bytes", sceneIn, s.matcherURL, digest, len(scene))
	}
}
