// Which code a CLI command ran: the git commit, marked when src/ had uncommitted changes.
import { execFileSync } from 'node:child_process';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

/** Short HEAD commit, with "(with uncommitted changes under src/)" when src/ differs from it. */
export function gitCommit(): string {
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'src') ? `${head} (with uncommitted changes under src/)` : head;
  } catch {
    return 'unknown';
  }
}
