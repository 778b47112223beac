// Package openai holds the executors that drive OpenAI-compatible inference
// servers, the engines a provider already runs: [LLM] for chat completions
// (vLLM, llama.cpp's server, Ollama), [TTS] for speech (Kokoro-FastAPI,
// openedai-speech, speaches) and [STT] for transcriptions (speaches /
// faster-whisper-server, whisper.cpp's server). Each implements
// executor.Executor for one job kind and is configured with a [Config]: the
// server's base URL, an optional API key, and the map from the market's
// model names to the server's model ids.
//
// A job's spec is a gpumarket.JobSpec whose ParamsInput input carries the
// kind's parameters ([LLMParams], [TTSParams], [STTParams]); a bare
// parameters document (with its "model") is accepted too.
//
// Invariants:
//   - Usage is measured or checked, never taken on trust. LLM: the server's
//     token counts are accepted only when consistent with its output, else
//     the job fails with ErrNoUsage. TTS: characters are counted from the
//     text sent and audio milliseconds from the WAV returned. STT: audio
//     seconds come from the input WAV, never from the server.
//   - The request carries only parameters the executor has validated and
//     bounded (max_tokens from the executor's cap, the job's parameter, its
//     estimate and what its payment covers); no job field becomes a URL, a
//     header or a file path.
//   - Every response is bounded (MaxResponseBytes, ErrOutputLimit beyond),
//     every request has a timeout and follows ctx, redirects and proxies
//     are not followed, and connections stay on loopback unless allowed.
//   - The API key is sent only as the Authorization header: it appears in
//     no error, log line or printed configuration.
//   - Server errors become a *StatusError that unwraps to ErrModelNotFound,
//     ErrContextLength, ErrRateLimited (with the Retry-After delay) or
//     ErrServerFailed; its Error text never holds the server's message,
//     which may quote job data.
package openai
