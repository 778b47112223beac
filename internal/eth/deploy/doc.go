// Package deploy deploys gpumarket's contracts (Run) and writes the
// deployment file that every command reads (WriteDeploymentFile). It is the
// one Go deployment: the demo and the test support package ethtest use it.
package deploy
