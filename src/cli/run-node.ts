// Running a simulation in Node: the engine factory and the environment block of the record.
import os from 'node:os';
import fs from 'node:fs';
import { createNodeEngine, type NodeBackend } from '../engine/node.ts';
import type { Config } from '../sim/config.ts';
import { Simulation, type SimulationEvent } from '../sim/simulation.ts';
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

export async function nodeSimulation(
  config: Config,
  backend: NodeBackend,
  onEvent?: (e: SimulationEvent) => void,
  threads?: number,
  /** Train on this corpus instead of the fact world. */
  corpus?: UserCorpus,
): Promise<Simulation> {
  return Simulation.create({
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
