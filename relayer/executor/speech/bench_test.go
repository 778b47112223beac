package speech

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

// BenchmarkEngines measures a job through each engine (Engine.Run: spec
// checks, the command executor's work dir and launcher, the recipe, usage
// measured) against the same engine commands run directly, and reports
// the difference as overhead_ms/job: the time outside the engine.
//
//	go test ./relayer/executor/speech/ -run '^$' -bench Engines -benchtime 20x
func BenchmarkEngines(b *testing.B) {
	needEngines(b)
	l := launch(b)
	tts, err := NewESpeak(ESpeakConfig{Launch: l}, nil)
	if err != nil {
		b.Fatal(err)
	}
	stt, err := NewPocketsphinx(PocketsphinxConfig{Launch: l}, nil)
	if err != nil {
		b.Fatal(err)
	}
	const text = "hello world, a test"
	speed := 1.6
	audio, _ := speak(b, tts, text, speed)
	dir := b.TempDir()
	textFile, wavFile := filepath.Join(dir, "text.txt"), filepath.Join(dir, "in.wav")
	if err := os.WriteFile(textFile, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(wavFile, audio, 0o600); err != nil {
		b.Fatal(err)
	}
	espeak, _ := exec.LookPath("espeak-ng")
	sox, _ := exec.LookPath("sox")
	sphinx, _ := exec.LookPath("pocketsphinx_continuous")
	cases := []struct {
		name   string
		e      *Engine
		job    executor.Job
		direct [][]string
	}{
		{"tts", tts, specJob(b, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: text, Speed: &speed}),
			[][]string{{espeak, "-b", "1", "-v", "en", "-s", "280", "-f", textFile, "-w", filepath.Join(dir, "out.wav")}}},
		{"stt", stt, specJob(b, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{},
			gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", audio)}),
			[][]string{{sox, "-q", wavFile, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", filepath.Join(dir, "16k.wav")},
				{sphinx, "-infile", filepath.Join(dir, "16k.wav"), "-hmm", DefaultHMM, "-lm", DefaultLM, "-dict", DefaultDict, "-logfn", "/dev/null"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var engine, total time.Duration
			for range b.N {
				start := time.Now()
				res, err := c.e.Run(context.Background(), c.job)
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
				total += time.Since(start)
				os.Remove(filepath.Join(dir, "out.wav"))
				os.Remove(filepath.Join(dir, "16k.wav"))
				start = time.Now()
				for _, argv := range c.direct {
					if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
						b.Fatalf("%v: %v: %s", argv, err, out)
					}
				}
				engine += time.Since(start)
			}
			n := float64(b.N)
			b.ReportMetric(float64(total.Milliseconds())/n, "job_ms/op")
			b.ReportMetric(float64(engine.Milliseconds())/n, "engine_ms/op")
			b.ReportMetric(float64((total-engine).Microseconds())/1000/n, "overhead_ms/op")
		})
	}
}
