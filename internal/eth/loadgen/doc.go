// Package loadgen generates market traffic on a development chain for the
// benchmarks: funded clients and providers that create, accept, submit and
// settle jobs in bulk, signing locally and sending raw transactions.
package loadgen
