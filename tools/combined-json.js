#!/usr/bin/env node
// Turns forge artifacts (out/<File>.sol/<Name>.json) into the solc
// --combined-json shape that abigen reads, for the contracts listed in
// bindings/contracts.json. Output goes to stdout. Deterministic: contracts
// are emitted in list order and nothing time- or path-dependent is written.
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// The list to bind is named by the first argument ("contracts" by default; "aliased" for the second file).
const listName = process.argv[2] || 'contracts';
const list = JSON.parse(fs.readFileSync(path.join(root, 'bindings', 'contracts.json'), 'utf8'))[listName] || [];
const contracts = {};
for (const entry of list) {
  const [source, name] = entry.split(':');
  const artifactPath = path.join(root, 'out', path.basename(source), name + '.json');
  let artifact;
  try {
    artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`read artifact for ${entry}: ${err.message} (run forge build first)\n`);
    process.exit(1);
  }
  contracts[entry] = {
    abi: artifact.abi,
    bin: artifact.bytecode.object.replace(/^0x/, ''),
  };
}
process.stdout.write(JSON.stringify({ contracts, version: '' }, null, 1) + '\n');
