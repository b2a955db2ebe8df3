/**
 * A matching worker thread: reads batches of log lines with the telemetry reader and matches them
 * against a read-only view of the compact index the main thread shares (no copy), plus its own
 * PatternIndex of the few general patterns. It returns counts and the matching events' places;
 * the main thread rebuilds those few observations for the evidence.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CompactIocIndex, IndicatorIndex } from '../../core/pattern/compact-iocs.js';
import { TelemetryReader } from '../../core/telemetry/index.js';
import type { BatchMatch, BatchRequest, BatchResult, WorkerReply, WorkerSetup } from './match-protocol.js';

const setup = workerData as WorkerSetup;
const index = new IndicatorIndex(CompactIocIndex.fromShared(setup.simple));
for (const [id, pattern] of setup.general) index.general.add(id, pattern);

function run(request: BatchRequest): BatchResult {
  const reader = new TelemetryReader(request.format, { firstLine: request.firstLine, keepBadLines: 50, ...(request.zeekPath === undefined ? {} : { zeekPath: request.zeekPath }) });
  const matches: BatchMatch[] = [];
  for (const text of request.lines) {
    const events = reader.pushFor(text, index);
    for (let nth = 0; nth < events.length; nth++) {
      const event = events[nth];
      if (event === undefined) continue;
      const ids = index.match(event.observation);
      if (ids.length > 0) matches.push({ line: event.line, nth, ids });
    }
  }
  const { stats } = reader;
  return { seq: request.seq, events: stats.events, bad: stats.bad, badByReason: [...stats.badByReason], badLines: stats.badLines, matches };
}

parentPort?.on('message', (request: BatchRequest) => {
  let reply: WorkerReply;
  try {
    reply = { kind: 'result', result: run(request) };
  } catch (error) {
    reply = { kind: 'error', seq: request.seq, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
