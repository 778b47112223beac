// Package hardware answers "what GPUs does this machine have" for a
// provider's attestation, and holds the provider's declared offer (Profile)
// that, together with the hardware, becomes the gpumarket.Attestation its
// signer signs.
//
// The GPU facts come from one of three sources, in this order (Resolve):
//
//  1. the profile's "hardware" object, when present;
//  2. a declared hardware file (LoadFile), when one is given: this is how an
//     Apple or AMD machine, or one without nvidia-smi, declares its GPUs;
//  3. nvidia-smi (Detect).
//
// Invariants:
//   - An attestation describes one GPU class. A machine whose GPUs are not all
//     the same model is an error for Detect (naming both models), not a
//     guess; such a machine declares the GPUs it offers in a hardware file.
//     VRAMMiB is the smallest VRAM of the GPUs, so that the attested amount is
//     available on every one of them.
//   - nvidia-smi is run with fixed arguments (exec.CommandContext, never a
//     shell), for at most DetectTimeout, and at most MaxDetectOutput bytes of
//     its output are read; its output is parsed strictly.
//   - Files (hardware, profile) are decoded with gpumarket.DecodeStrict: at
//     most MaxHardwareBytes or MaxProfileBytes, no unknown, duplicate or
//     miscased fields, no trailing data, then validated with the root package's attestation rules.
//   - Invalid input yields gpumarket EINVALID errors naming the field with its
//     JSON path ("capabilities[0].prices[0].amount", "hardware.gpu_count").
//
// The package imports only the standard library and the root package.
package hardware
