#!/usr/bin/env node
// The `entente` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically before `npm start` and `npm test`).
import { main } from '../dist/cli/main.js';

// Output piped into a reader that stops early (`entente decisions list | head`): stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
