// Running a simulation in Node: a run controller with Node engines and the environment block of the record.
import os from 'node:os';
import fs from 'node:fs';
import { createNodeEngine, type NodeBackend } from '../engine/node.ts';
import type { Config } from '../sim/config.ts';
import { RunController, type ControllerEvent } from '../sim/run-controller.ts';
import type { UserCorpus } from '../world/user-corpus.ts';

/** A package's version from its package.json on disk (some packages do not export it). */
const version = (pkg: string): string => {
  try {
    const file = new URL(`../../${pkg === '.' ? '' : `node_modules/${pkg}/`}package.json`, import.meta.url);
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

export async function nodeRun(
  config: Config,
  backend: NodeBackend,
  onEvent?: (e: ControllerEvent) => void,
  threads?: number,
  /** Train on this corpus instead of the fact world. */
  corpus?: UserCorpus,
): Promise<RunController> {
  return RunController.create({
    config,
    ...(corpus ? { corpus } : {}),
    createEngine: (spec, seed) => createNodeEngine({ backend, spec, seed, ...(threads ? { threads } : {}) }),
    environment: {
      versions: {
        node: process.version,
        'onnxruntime-node': version('onnxruntime-node'),
        'onnxruntime-web': version('onnxruntime-web'),
        ouroboros: version('.'),
      },
      userAgent: `node ${process.version} ${os.platform()} ${os.arch()} (${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores)`,
    },
    ...(onEvent ? { onEvent } : {}),
  });
}
