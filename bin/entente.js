#!/usr/bin/env node
// The `entente` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically before `npm start` and `npm test`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
