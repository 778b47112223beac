#!/usr/bin/env node
// solc stand-in for forge: behaves like the native solc binary for the two
// calls forge makes (`--version` and `--standard-json`), backed by the wasm
// build of solc from npm (pinned in package.json). forge cannot download a
// native solc here, so foundry.toml points `solc` at this script.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const args = process.argv.slice(2);

function optionValues(name) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === name && i + 1 < args.length) {
      values.push(args[++i]);
    } else if (a.startsWith(name + '=')) {
      values.push(a.slice(name.length + 1));
    }
  }
  return values;
}

if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler commandline interface\n');
  process.stdout.write('Version: ' + solc.version() + '\n');
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('tools/solc.js supports only --version and --standard-json\n');
  process.exit(2);
}

const roots = [...optionValues('--base-path'), ...optionValues('--include-path'), process.cwd()];

function findImport(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : roots.map((root) => path.resolve(root, importPath));
  for (const candidate of candidates) {
    try {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    } catch (_) {
      // try the next root
    }
  }
  return { error: 'File not found: ' + importPath + ' (searched ' + roots.join(', ') + ')' };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImport }));
