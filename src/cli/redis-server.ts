// A throwaway redis-server on the loopback for `npm run bench:queue` and the queue tests: a free port,
// nothing written to disk, stopped by the process id it was started with.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 just now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export interface LocalRedis {
  port: number;
  /** Stops the server (SIGTERM to its pid) and waits for it to exit. */
  stop: () => Promise<void>;
}

/**
 * Starts `bin` (Debian's /usr/bin/redis-server by default) on a free loopback port, in `dir`, with no
 * persistence; `tls` makes that port its TLS port (give the certificate options in `args`).
 */
export async function startRedisServer(o: {
  dir: string;
  args?: readonly string[];
  tls?: boolean;
  bin?: string;
}): Promise<LocalRedis> {
  const bin = o.bin ?? '/usr/bin/redis-server';
  const port = await freePort();
  const ports = o.tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const redis = spawn(
    bin,
    ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', ...ports, ...(o.args ?? [])],
    {
      cwd: o.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => redis.on('exit', () => resolve()));
  let log = '';
  redis.stdout.on('data', (d: Buffer) => (log += d.toString()));
  redis.stderr.on('data', (d: Buffer) => (log += d.toString()));
  redis.on('error', (e) => (log += `\n${e.message}`));
  const t0 = Date.now();
  while (!log.includes('Ready to accept connections')) {
    if (redis.exitCode !== null || redis.pid === undefined || Date.now() - t0 > 20_000) {
      redis.kill('SIGKILL');
      throw new Error(`${bin} did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      if (redis.exitCode === null) redis.kill('SIGTERM');
      await exited;
    },
  };
}
