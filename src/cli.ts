#!/usr/bin/env node
// CLI entry: picks the command and runs it. Parsing and decisions live in src/commands/*.
// Each command module is loaded on demand so `digestpin resolve` never loads Octokit.
import { runCli } from './commands/dispatch.js';

process.exitCode = await runCli(process.argv.slice(2));
