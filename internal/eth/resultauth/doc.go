// Package resultauth signs and verifies the EIP-191 messages a client sends
// to download its result from a provider's result server: a result hash and
// an expiry, signed by the job's client.
package resultauth
