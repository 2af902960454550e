#!/usr/bin/env node
// The CLI throughput floor: walks the same candidate files the CLI reads (Dockerfile names,
// *.yaml/*.yml, *.json other than package/tsconfig files) and only parses them, with
// dockerfile-ast and `yaml` (parseAllDocuments + LineCounter; JSON is YAML). Like the CLI it
// skips files whose content is neither Compose nor Kubernetes (the same cheap regex test as
// server/src/core/classify.ts), so both parse the same set. Run as its own Node process so
// Node start-up counts, as it does for the CLI.
// Usage: node bench/parse-only.js <folder>...   Prints a JSON summary on stdout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseAllDocuments, LineCounter } = require('yaml');
const { DockerfileParser } = require('dockerfile-ast');

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

function isDockerfileName(n) {
  n = n.toLowerCase();
  return n === 'dockerfile' || n === 'containerfile' || n.startsWith('dockerfile.') || n.startsWith('containerfile.') || n.endsWith('.dockerfile') || n.endsWith('.containerfile');
}

function kindOf(name) {
  const n = name.toLowerCase();
  if (n === '.bulkhead.yaml' || n === '.bulkhead.yml') return null;
  if (isDockerfileName(name)) return 'dockerfile';
  if (n.endsWith('.yaml') || n.endsWith('.yml')) return 'yaml';
  if (n.endsWith('.json') && !n.endsWith('package.json') && !n.endsWith('package-lock.json') && !n.endsWith('tsconfig.json')) return 'yaml';
  return null;
}

function walk(dir, out) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(full, out);
    } else if (e.isFile()) {
      const kind = kindOf(e.name);
      if (kind) out.push({ file: full, kind });
    }
  }
  return out;
}

const roots = process.argv.slice(2);
if (roots.length === 0) {
  process.stderr.write('usage: node bench/parse-only.js <folder>...\n');
  process.exit(2);
}
const files = [];
for (const r of roots) walk(path.resolve(r), files);
/** Mirrors classifyYaml/classifyJson: is this YAML/JSON text Compose or Kubernetes? */
function interesting(text, name) {
  if (name.toLowerCase().endsWith('.json')) return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text) || /"services"\s*:\s*\{/.test(text);
  let apiVersion = false;
  let kind = false;
  let services = false;
  const re = /^(apiVersion|kind|services|---)[ \t]*:?(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === '---') {
      if (apiVersion && kind) return true;
      apiVersion = kind = false;
    } else if (m[1] === 'apiVersion') apiVersion = true;
    else if (m[1] === 'kind') kind = true;
    else if (m[1] === 'services' && /^\s*(\{.*)?(#.*)?$/.test(m[2])) services = true;
  }
  return (apiVersion && kind) || services;
}

let parsed = 0;
let documents = 0;
let bytes = 0;
for (const { file, kind } of files) {
  const text = fs.readFileSync(file, 'utf8');
  bytes += text.length;
  if (kind === 'dockerfile') {
    DockerfileParser.parse(text);
    documents++;
    parsed++;
  } else if (interesting(text, file)) {
    documents += parseAllDocuments(text, { lineCounter: new LineCounter() }).length;
    parsed++;
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, parsed, documents, bytes })}\n`);
