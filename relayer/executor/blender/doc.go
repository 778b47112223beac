// Package blender is the render executor: it runs the Blender command line
// (Cycles) on a job's .blend file and returns PNG frames, with usage
// measured by the executor. [Executor] implements executor.Executor for
// render jobs; [New] builds it from a [Config] chosen by the provider.
//
// # The job
//
// A render job's spec is a gpumarket.JobSpec with two inputs: SceneInput
// ("scene"), the .blend file (data:, http: or https: URI, checked against
// the size and sha256 it declares; the matcher's blob store URLs are plain
// http(s)), and ParamsInput ("params"), a data: URI holding the JSON of
// [Params]: the frame or frame range, the resolution and the samples, each
// within the Config's bounds. The device (CPU, CUDA, OPTIX, HIP, METAL) and
// the threads come from the Config, never from the job.
//
// # Invariants
//
//   - No Python carried by a .blend file runs. Blender is started with
//     -b --factory-startup --disable-autoexec -noaudio (no user startup
//     file, preferences or add-ons beyond the bundled defaults; registered
//     text blocks and Python driver expressions are not run: Blender 3.4+
//     evaluates a driver expression with auto-exec off only when it passes
//     its restricted-bytecode check), with an environment of the command
//     executor's fixed variables plus HOME and TMPDIR inside the job's work
//     dir (so no user scripts directory, no PYTHONPATH; and
//     --python-use-system-env is never given). The only Python that runs is
//     settings.py, shipped in this package (go:embed), which takes four
//     validated integers after "--". Defence in depth, that script refuses
//     a scene with a non-simple scripted driver, a linked library, or any
//     file reference (images, movie clips, sounds, fonts, volumes, cache
//     files, modifier and node paths, external point caches, fluid caches)
//     resolving outside the work dir, and removes compositor File Output
//     nodes, which write anywhere.
//   - Nothing from the job becomes code, a command-line word or a path: the
//     command line is built from the Config and from integers validated
//     against its bounds; the .blend is written as scene.blend in a fresh
//     work dir and frames are written to out/ there.
//   - Blender runs through executor.Command's RunProgram: the re-exec
//     launcher (RLIMIT_FSIZE, RLIMIT_CORE), its own process group killed
//     when the job ends, the timeout, the work dir's size and file caps,
//     and reads through the directory descriptor only. A binary using this
//     package must call executor.RunLimitedMain first in main.
//   - Usage is measured: Units1 is the number of frames counted from the
//     output files (each must decode as a PNG of the requested size, and
//     exactly the requested frames must be there); Units2 is GPU-seconds,
//     rounded up: Blender's wall-clock time on a GPU device, its CPU time
//     (user + system, from the process's rusage) on the CPU device.
//   - The output is one PNG for one frame, and an uncompressed tar of the
//     PNGs (frame_0000001.png, …) in frame order for several.
package blender
