// The JS heap of a page's dedicated worker, after a forced GC, over the Chrome DevTools Protocol
// (performance.memory does not exist in workers). Chromium only.
import type { Browser } from 'playwright-core';

export interface HeapUsage {
  /** Bytes of the V8 heap in use: objects, and compiled code and its metadata. */
  usedSize: number;
  /** Bytes of ArrayBuffer backing stores (WASM memories among them). */
  backingStorageSize: number;
}

/** A heap snapshot summed by node type: the program's data apart from V8's code and internals. */
export interface HeapSnapshotSum {
  /** JS values: objects, arrays, closures, strings, numbers (self sizes). */
  data: number;
  /** Everything else: compiled JS and WASM code, feedback, hidden classes, V8 internals. */
  other: number;
}

const DATA_TYPES = new Set([
  'object',
  'array',
  'closure',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'regexp',
  'bigint',
  'symbol',
]);

/** Attach to the first worker whose URL contains `urlPart`; `usage()` collects garbage and measures. */
export async function attachWorkerHeap(browser: Browser, urlPart: string) {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
  if (!target) throw new Error(`no worker target with '${urlPart}' in its URL`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: false,
  })) as { sessionId: string };
  let id = 0;
  let chunks: string[] = [];
  const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId?: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as {
      id?: number;
      method?: string;
      params?: { chunk: string };
      result?: unknown;
      error?: { message: string };
    };
    if (m.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(m.params!.chunk);
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const i = ++id;
      pending.set(i, (m) => {
        pending.delete(i);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result);
      });
      cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) })
        .catch(reject);
    });
  return {
    async usage(): Promise<HeapUsage> {
      await send('HeapProfiler.collectGarbage');
      const u = (await send('Runtime.getHeapUsage')) as HeapUsage;
      return { usedSize: u.usedSize, backingStorageSize: u.backingStorageSize };
    },
    /** Collect garbage, take a heap snapshot and sum its nodes' self sizes by kind. */
    async snapshot(): Promise<HeapSnapshotSum> {
      await send('HeapProfiler.collectGarbage');
      chunks = [];
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      const snap = JSON.parse(chunks.join('')) as {
        snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
        nodes: number[];
      };
      chunks = [];
      const { node_fields: fields, node_types: types } = snap.snapshot.meta;
      const typeAt = fields.indexOf('type');
      const sizeAt = fields.indexOf('self_size');
      const sum: HeapSnapshotSum = { data: 0, other: 0 };
      for (let i = 0; i < snap.nodes.length; i += fields.length) {
        const size = snap.nodes[i + sizeAt]!;
        if (DATA_TYPES.has(types[0][snap.nodes[i + typeAt]!]!)) sum.data += size;
        else sum.other += size;
      }
      return sum;
    },
    detach: () => cdp.detach(),
  };
}
