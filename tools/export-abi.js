#!/usr/bin/env node
// Writes contracts/abi/: one <Name>.json ABI per contract listed in bindings/contracts.json (from the forge
// artifacts in out/), and contracts/abi/typed-data/{JobOrder,Assignment}.json: the exact EIP-712 typed data a
// wallet signs with eth_signTypedData_v4 (types, primaryType, domain template, example message). Deterministic;
// `make generate` runs it and `make check-generated` fails on any diff.
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'contracts', 'abi');
const tdDir = path.join(outDir, 'typed-data');
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(tdDir, { recursive: true });

const lists = JSON.parse(fs.readFileSync(path.join(root, 'bindings', 'contracts.json'), 'utf8'));
const list = [...lists.contracts, ...(lists.aliased || [])];
for (const entry of list) {
  const [source, name] = entry.split(':');
  const artifact = JSON.parse(fs.readFileSync(path.join(root, 'out', path.basename(source), name + '.json'), 'utf8'));
  fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify(artifact.abi, null, 2) + '\n');
}

// Must match JOB_ORDER_TYPEHASH / ASSIGNMENT_TYPEHASH and EIP712("GpuMarket", "1") in JobMarketplace.sol
// (contracts/test/TypedData.t.sol checks these files against the contract).
const domainType = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];
const domain = {
  name: 'GpuMarket',
  version: '1',
  chainId: 31337,
  verifyingContract: '0x0000000000000000000000000000000000000000',
};
const typedData = {
  JobOrder: {
    fields: [
      { name: 'kind', type: 'uint8' },
      { name: 'token', type: 'address' },
      { name: 'maxPayment', type: 'uint128' },
      { name: 'deadline', type: 'uint40' },
      { name: 'preferredProvider', type: 'address' },
      { name: 'creator', type: 'address' },
      { name: 'creatorShareBps', type: 'uint16' },
      { name: 'specHash', type: 'bytes32' },
      { name: 'specURI', type: 'string' },
      { name: 'client', type: 'address' },
      { name: 'nonce', type: 'uint256' },
      { name: 'expiry', type: 'uint64' },
    ],
    message: {
      kind: 0,
      token: '0x0000000000000000000000000000000000000000',
      maxPayment: '100000000',
      deadline: 1800086400,
      preferredProvider: '0x0000000000000000000000000000000000000000',
      creator: '0x0000000000000000000000000000000000000000',
      creatorShareBps: 0,
      specHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
      specURI: 'ipfs://…',
      client: '0x0000000000000000000000000000000000000000',
      nonce: '0',
      expiry: 1800003600,
    },
  },
  // jobHash: the job's hash while Open (jobHash(jobId) right after creation). It is signed but not passed in the
  // acceptJob calldata: the contract fills it in from the job being accepted.
  Assignment: {
    fields: [
      { name: 'jobId', type: 'uint256' },
      { name: 'jobHash', type: 'bytes32' },
      { name: 'provider', type: 'address' },
      { name: 'price', type: 'uint128' },
      { name: 'expiry', type: 'uint64' },
    ],
    message: {
      jobId: '1',
      jobHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
      provider: '0x0000000000000000000000000000000000000000',
      price: '80000000',
      expiry: 1800000600,
    },
  },
};
for (const [primaryType, def] of Object.entries(typedData)) {
  const doc = {
    types: { EIP712Domain: domainType, [primaryType]: def.fields },
    primaryType,
    domain,
    message: def.message,
  };
  fs.writeFileSync(path.join(tdDir, primaryType + '.json'), JSON.stringify(doc, null, 2) + '\n');
  const typeString = `${primaryType}(${def.fields.map((f) => `${f.type} ${f.name}`).join(',')})`;
  fs.writeFileSync(path.join(tdDir, primaryType + '.type.txt'), typeString + '\n');
}
