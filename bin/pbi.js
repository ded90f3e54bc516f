#!/usr/bin/env node
// The `pbi` executable: runs the compiled CLI (built by `npm run build`, which `npm install` runs).
import '../dist/main/cli.js';
