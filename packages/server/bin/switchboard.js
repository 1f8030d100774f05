#!/usr/bin/env node
// Committed entry point, so npm links the `switchboard` command at install time even
// before the TypeScript build has produced dist/.
import '../dist/cli/main.js';
