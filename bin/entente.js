#!/usr/bin/env node
// The `entente` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically before `npm start` and `npm test`).
import { main } from '../dist/cli/main.js';

// Output piped into a reader that stops early (`entente decisions list | head`): what is left to
// write goes nowhere, quietly, instead of an unhandled 'error' event. Commands that stream (detect)
// watch for it themselves and stop early.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv);
