// Package speech runs the CPU speech engines a provider without a GPU
// server can offer: espeak-ng for tts jobs and pocketsphinx (with its
// English model) for stt jobs, both Debian packages (tools/ensure-engines.sh
// installs them).
//
// Each engine is two halves of one recipe shipped in the gpumarket binary:
//   - the executor ([NewESpeak], [NewPocketsphinx]) is an executor.Command
//     whose program is the gpumarket binary itself, started as
//     `gpumarket engine espeak-tts …` or `gpumarket engine
//     pocketsphinx-stt …` with arguments fixed by the provider's
//     configuration (engine paths, model files, limits), so the job runs in
//     the command executor's fresh working directory, under its launcher's
//     limits, timeout and process-group kill;
//   - the recipe ([Main], run by that subcommand) reads the job spec from
//     the command executor's spec file, calls the engine with an argv (never
//     a shell string; the text to speak goes through a file, not the
//     command line), measures the usage itself and writes the command
//     executor's output protocol: the output file and usage.json.
//
// Job specs use the parameters of the OpenAI-compatible executors
// (openai.TTSParams, openai.STTParams in the spec's openai.ParamsInput
// input), so a client's tts or stt job runs on either.
//
// Invariants:
//   - Usage is measured by the recipe, never taken from the engine. tts:
//     Units1 is the text's characters (Unicode code points) and Units2 the
//     milliseconds of audio computed by wav.Parse from the WAV espeak-ng
//     wrote. stt: Units1 is the input audio's seconds (rounded up) computed
//     by wav.Parse from the job's WAV, before any conversion; Units2 the
//     transcript's characters.
//   - The recipe reads no input itself. The relayer side reads a job's
//     inputs (data: URIs, or other URIs through Launch.Inputs when one is
//     configured; refused in Preflight otherwise, so the relayer never
//     accepts a job the engine cannot read), checks their declared size and
//     sha256, and hands the recipe a parameters document that holds them.
//   - The engine hears exactly the audio counted: the job's WAV is rewritten
//     with its measured sizes (wav.Trim) before sox or pocketsphinx read it.
//   - Nothing from the job becomes a program path or an option name; the
//     voice is an option value checked against the configured voices, the
//     speed a number within bounds.
package speech
