//go:build linux

package blender

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// requireBlender returns Blender's path; without it the test is skipped,
// or fails under CI=true.
func requireBlender(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath("blender")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("blender is not installed (make setup installs it): %v", err)
		}
		tb.Skipf("blender is not installed (make setup installs it): %v", err)
	}
	return path
}

var (
	scenesMu sync.Mutex
	scenes   = map[string][]byte{}
)

// scene returns the .blend of the executor's test scene ("plain") or of a
// hostile testdata/make_scene.py variant built from it, once per test
// binary; marker is the path a hostile variant writes (or reads).
func scene(tb testing.TB, variant, marker string) []byte {
	tb.Helper()
	bin := requireBlender(tb)
	key := variant + "\x00" + marker
	scenesMu.Lock()
	defer scenesMu.Unlock()
	if b, ok := scenes[key]; ok {
		return b
	}
	plain, ok := scenes["plain\x00"]
	if !ok {
		e, err := New(Config{WorkRoot: tb.TempDir()}, nil)
		if err != nil {
			tb.Fatal(err)
		}
		if plain, err = e.TestScene(tb.Context()); err != nil {
			tb.Fatalf("TestScene: %v", err)
		}
		scenes["plain\x00"] = plain
	}
	if variant == "plain" {
		return plain
	}
	script, err := filepath.Abs("testdata/make_scene.py")
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	in, out := filepath.Join(dir, "plain.blend"), filepath.Join(dir, variant+".blend")
	if err := os.WriteFile(in, plain, 0o600); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, "-b", "--factory-startup", "--python-exit-code", "1", "--python", script, "--", variant, in, out, marker)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir}
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("make %s scene: %v\n%s", variant, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	scenes[key] = b
	return b
}

// newTestExecutor returns an executor with its work dirs under a temp dir.
func newTestExecutor(tb testing.TB, cfg Config) *Executor {
	tb.Helper()
	if cfg.WorkRoot == "" {
		cfg.WorkRoot = tb.TempDir()
	}
	e, err := New(cfg, nil)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return e
}

// blobServer serves blobs by sha256 at /v1/blobs/<sha256>, as the matcher's
// blob store does, and returns the URL of blob.
func blobServer(tb testing.TB, blob []byte) string {
	tb.Helper()
	sum := sha256.Sum256(blob)
	path := "/v1/blobs/" + hex.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(blob))
	}))
	tb.Cleanup(srv.Close)
	return srv.URL + path
}

// renderJob returns a render job for blend (at uri, or inline when uri is
// empty: data: URIs fit only tiny files) and params.
func renderJob(tb testing.TB, blend []byte, uri string, params any) executor.Job {
	tb.Helper()
	p, err := json.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(blend)
	in := gpumarket.JobInput{Name: SceneInput, URI: uri, SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(blend))}
	if uri == "" {
		in.URI = gpumarket.DataURI("application/x-blender", blend)
	}
	return rawJob(tb, gpumarket.JobSpec{Kind: gpumarket.JobKindRender, Model: "cycles", Inputs: []gpumarket.JobInput{
		in, {Name: ParamsInput, URI: gpumarket.DataURI("application/json", p)},
	}, Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Frames: 250}}})
}

func rawJob(tb testing.TB, spec gpumarket.JobSpec) executor.Job {
	tb.Helper()
	b, err := json.Marshal(spec)
	if err != nil {
		tb.Fatal(err)
	}
	return executor.Job{ID: 7, Kind: gpumarket.JobKindRender, Spec: b}
}

func readResult(tb testing.TB, res *executor.Result) []byte {
	tb.Helper()
	r, err := res.Open()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkFrame decodes a PNG, checks its size and that it is not one colour.
func checkFrame(tb testing.TB, name string, b []byte, width, height int) image.Image {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("%s: png.Decode: %v", name, err)
	}
	if got := img.Bounds().Size(); got.X != width || got.Y != height {
		tb.Fatalf("%s is %dx%d, want %dx%d", name, got.X, got.Y, width, height)
	}
	first := img.At(0, 0)
	r0, g0, b0, a0 := first.RGBA()
	for y := range height {
		for x := range width {
			if r, g, b, a := img.At(x, y).RGBA(); r != r0 || g != g0 || b != b0 || a != a0 {
				return img
			}
		}
	}
	tb.Fatalf("%s is one uniform colour", name)
	return nil
}

// untar returns the names and contents of a tar's entries, in order.
func untar(tb testing.TB, b []byte) ([]string, [][]byte) {
	tb.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	var names []string
	var files [][]byte
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names, files
		}
		if err != nil {
			tb.Fatalf("read tar: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		names = append(names, h.Name)
		files = append(files, data)
	}
}

func intp(n int) *int { return &n }

// entries lists a directory's names.
func entries(tb testing.TB, dir string) []string {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}
