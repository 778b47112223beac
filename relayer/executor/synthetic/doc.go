// Package synthetic is the demo executor (`gpumarket relayer run --executor
// demo`) and its spec language: deterministic, CPU-only generators that
// produce a real artifact of each job kind (a Mandelbrot PNG, a synthesized
// WAV, a transcript of a WAV's tones, a token stream) from a small JSON spec
// (RenderSpec, TTSSpec, STTSpec, LLMSpec). It stands beside the executors
// that drive real engines (package executor) and is what the demo, the
// tests and a provider trying the market without a GPU run.
package synthetic
