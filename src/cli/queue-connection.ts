// The Redis behind `--queue`: the URL read into connection options (redis:// or rediss:// for TLS, a
// password from the URL or $REDIS_PASSWORD), the form of it that may be printed (never the password),
// and a first connection that fails at once with a message naming the server and the cause.
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { isIP } from 'node:net';

/** Redis unreachable, refused the password, or went away: the message says what to do next. */
export class QueueError extends Error {
  override name = 'QueueError';
}

export interface QueueConnection {
  /** The URL as it may be printed: user kept, password replaced by ***. */
  shown: string;
  /** ioredis options (host, port, db, username, password, tls). */
  options: RedisOptions;
  /** Replaces the password wherever it occurs in a message (errors of the driver included). */
  scrub: (message: string) => string;
}

/**
 * Reads `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS; the server's certificate is
 * checked against Node's CAs and NODE_EXTRA_CA_CERTS). With no password in the URL, $REDIS_PASSWORD is
 * used when set, which keeps it out of process listings and shell history.
 */
export function parseQueueUrl(url: string, env: NodeJS.ProcessEnv = process.env): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // the text may hold a password anywhere: it is not repeated
    throw new QueueError(
      '--queue expects redis://host[:port][/db] or rediss://… (TLS); the value given is not a URL (not shown, as it may hold a password)',
    );
  }
  const password = u.password ? decodeURIComponent(u.password) : (env.REDIS_PASSWORD ?? '');
  const hide = (s: string) => (password ? s.replaceAll(password, '***') : s);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new QueueError(`--queue expects a redis:// or rediss:// URL, got the scheme '${hide(u.protocol)}'`);
  if (!u.hostname) throw new QueueError('--queue names no host: expected redis://host[:port]');
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText ? Number(dbText) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new QueueError(`--queue: the database after the host must be a number, got '${hide(dbText)}'`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const tls = u.protocol === 'rediss:';
  const options: RedisOptions = {
    host,
    port,
    db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    // SNI takes a host name only: an IP address is checked against the certificate without it
    ...(tls ? { tls: isIP(host) ? {} : { servername: host } } : {}),
  };
  const auth = username || password ? `${username ?? ''}${password ? ':***' : ''}@` : '';
  const shown = `${u.protocol}//${auth}${u.host}${db ? `/${db}` : ''}`;
  return { shown, options, scrub: hide };
}

/**
 * One connection that tries once, within `timeoutMs`: resolves when Redis answers PING, throws a
 * QueueError naming the server (without its password) and the cause otherwise.
 */
export async function checkConnection(c: QueueConnection, timeoutMs = 5000): Promise<void> {
  const redis = new Redis({
    ...c.options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // The driver's first error names the cause (ECONNREFUSED, WRONGPASS, a certificate problem); the
  // rejection of connect() after it only says that the connection closed.
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    const why = (cause ?? (e as Error)).message.replace(/\.$/, '');
    throw new QueueError(
      `cannot reach Redis at ${c.shown}: ${c.scrub(why)}. Nothing was run or lost: start Redis or correct --queue, then run the same command again.`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Command-line arguments as they may be written down (a manifest's command): passwords in redis URLs hidden. */
export const hidePasswords = (argv: readonly string[]): string[] =>
  argv.map((a) => a.replace(/(rediss?:\/\/[^:@/\s]*:)[^\s/]+@/g, '$1***@'));
