// The parts of `--queue` that need no Redis: the URL read into connection options with the password
// kept out of everything printable, job ids, and records through a queue message.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hidePasswords, parseQueueUrl, QueueError } from '../../src/cli/queue-connection.ts';
import { decodeRecord, encodeRecord, jobId } from '../../src/cli/queue-jobs.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import { createRecord, type RunRecord } from '../../src/sim/record.ts';

const config = (overrides: Record<string, unknown> = {}) => {
  const r = resolveConfig('ngram', overrides);
  if (!r.ok) throw new Error('bad test config');
  return r.config;
};

describe('parseQueueUrl', () => {
  it('reads host, port, database, user and password, and shows the URL without the password', () => {
    const c = parseQueueUrl('redis://alice:p%40ss@queue.example:6380/2', {});
    expect(c.options).toEqual({
      host: 'queue.example',
      port: 6380,
      db: 2,
      username: 'alice',
      password: 'p@ss',
    });
    expect(c.shown).toBe('redis://alice:***@queue.example:6380/2');
    expect(c.scrub('WRONGPASS for p@ss')).toBe('WRONGPASS for ***');
  });

  it('defaults to port 6379 and database 0, and takes $REDIS_PASSWORD when the URL has none', () => {
    const c = parseQueueUrl('redis://10.0.0.5', { REDIS_PASSWORD: 'from-env' });
    expect(c.options).toEqual({ host: '10.0.0.5', port: 6379, db: 0, password: 'from-env' });
    expect(c.shown).toBe('redis://:***@10.0.0.5');
    expect(parseQueueUrl('redis://h:1', {}).shown).toBe('redis://h:1');
  });

  it('connects with TLS for rediss://, naming the server for SNI unless it is an IP address', () => {
    expect(parseQueueUrl('rediss://:pw@redis.example', {}).options.tls).toEqual({
      servername: 'redis.example',
    });
    expect(parseQueueUrl('rediss://127.0.0.1:6380', {}).options.tls).toEqual({});
    expect(parseQueueUrl('redis://redis.example', {}).options.tls).toBeUndefined();
  });

  it('refuses other schemes and bad databases without printing the password', () => {
    for (const [url, message] of [
      ['http://:hunter2@h', /redis:\/\/ or rediss:\/\/ URL, got the scheme 'http:'/],
      ['redis://:hunter2@h/x', /database after the host must be a number, got 'x'/],
      ['not a url hunter2@', /--queue expects redis:\/\/host/],
      ['redis://:hunter2@h:99999', /--queue expects redis:\/\/host/],
    ] as [string, RegExp][]) {
      let error: unknown;
      try {
        parseQueueUrl(url, {});
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(QueueError);
      expect((error as Error).message, url).toMatch(message);
      expect((error as Error).message, url).not.toContain('hunter2');
    }
  });
});

describe('hidePasswords', () => {
  it('hides the password of every redis URL in a command line and leaves the rest alone', () => {
    expect(
      hidePasswords([
        '--fast',
        '--queue',
        'redis://:s3cr@t@h:1',
        '--queue=rediss://bob:pw@h/2',
        'redis://h:6379',
      ]),
    ).toEqual(['--fast', '--queue', 'redis://:***@h:1', '--queue=rediss://bob:***@h/2', 'redis://h:6379']);
  });
});

describe('jobId', () => {
  it('is the same for the same code and config, whatever the key order, and differs by seed or code', () => {
    const c = config({ seed: 3 });
    const reordered = Object.fromEntries(Object.entries(c).reverse()) as typeof c;
    expect(jobId('abc', reordered)).toBe(jobId('abc', c));
    expect(jobId('abc', c)).toMatch(/^run-[0-9a-f]{32}$/);
    expect(jobId('abc', config({ seed: 4 }))).not.toBe(jobId('abc', c));
    expect(jobId('abd', c)).not.toBe(jobId('abc', c));
  });
});

describe('records through a queue message', () => {
  const record = (): RunRecord => {
    const r = createRecord(
      config(),
      { backend: 'ngram', backendReason: 'test', versions: {} },
      '2026-01-01T00:00:00Z',
    );
    r.status = 'failed';
    r.error = 'Generation 2 diverged';
    r.generations.push({
      losses: [1.5, Infinity, -Infinity, NaN],
    } as unknown as RunRecord['generations'][number]);
    return r;
  };

  it('arrive as they left, non-finite numbers included, compressed, with status and error beside', () => {
    const r = record();
    const m = encodeRecord(r);
    expect(m.status).toBe('failed');
    expect(m.error).toBe('Generation 2 diverged');
    const json = gunzipSync(Buffer.from(m.gzip, 'base64')).toString('utf8');
    expect(JSON.parse(json)).toMatchObject({ schema: 'ouroboros-run', status: 'failed' });
    expect(decodeRecord(m)).toEqual(r);
    expect((decodeRecord(m) as RunRecord).generations[0]!.losses).toEqual([1.5, Infinity, -Infinity, NaN]);
  });

  it('are refused above the size limit, with the size and the limit named', () => {
    const size = encodeRecord(record()).gzip.length * 0.75; // base64 → bytes, about
    expect(() => encodeRecord(record(), 100)).toThrow(
      /record is \d+ bytes compressed, over the queue's limit of 100 bytes/,
    );
    expect(() => encodeRecord(record(), Math.ceil(size) + 10)).not.toThrow();
  });
});
