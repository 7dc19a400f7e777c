#!/usr/bin/env node
// Launcher for `npx wireplan ...`: runs the TypeScript CLI through tsx, so the repository
// needs no build step before the CLI can be used.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
