// Package eip712 holds gpumarket's EIP-712 messages: the provider's
// attestation and heartbeat (signed by the provider's registered signer,
// domain "gpumarket ProviderRegistry"), the matcher's assignment (signed by
// the matcher key, domain "gpumarket JobMarket"), the client's JobOrder
// (gasless posting) and EIP-2612 permits.
//
// Each type is defined by one type-string constant, parsed into
// go-ethereum's apitypes.TypedData, so that aligning with the contracts means
// changing one string. The attestation commitment registered on-chain is the
// EIP-712 struct hash (hashStruct) of the attestation document, without the
// domain. RegistryVerifier implements the matcher API's signature checks.
package eip712
