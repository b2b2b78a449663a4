// Pins the exact ONNX bytes of every kind of graph the engines build, as SHA-256 hashes: for each
// preset (at its reference vocabulary), the train and evaluate graphs, window passes, both kinds of
// decode step, a cache compaction and the gradient graphs the tests use.
//
// A refactor of the graph builder or of the model code must leave these graphs byte for byte the
// same: the same nodes in the same order, the same value names, attributes, constants and element
// types. Any change to them, however harmless it looks, changes a hash here and fails this test.
// So does a change to a preset (models/*.json) or to the ONNX encoder (onnx-proto, protobufjs).
//
// To change a graph on purpose: make the change, check that the behaviour tests still pass
// (test/model, test/engine), run this file, copy the new hashes from the failure's diff into PINNED
// below, and say in the commit why the graphs changed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/model/graph.ts';
import {
  buildEvalGraph,
  buildGatherGraph,
  buildGradGraph,
  buildSampleGraph,
  buildStepGraph,
  buildTrainGraph,
} from '../../src/model/graphs.ts';
import { oneHot } from '../../src/model/ops.ts';
import { modelSpec, type ModelPresetName } from '../../src/model/architectures.ts';
import { defaultConfig } from '../../src/sim/config.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The graphs of one preset the engines request: train and evaluate at the default batch size, window passes, decode steps of both kinds, a compaction, and the test-only gradient graphs. */
function presetGraphs(name: ModelPresetName): Record<string, () => Uint8Array> {
  const spec = modelSpec(name, defaultConfig);
  const B = spec.batchSize;
  const tied = { ...spec, tieEmbeddings: true };
  return {
    [`${name} train B=${B}`]: () => buildTrainGraph(spec, B).bytes,
    [`${name} train tied B=2`]: () => buildTrainGraph(tied, 2).bytes,
    [`${name} eval B=${B}`]: () => buildEvalGraph(spec, B).bytes,
    [`${name} sample B=1`]: () => buildSampleGraph(spec, 1).bytes,
    [`${name} sample B=8`]: () => buildSampleGraph(spec, 8).bytes,
    [`${name} step graph B=4`]: () => buildStepGraph(spec, 4, 'graph').bytes,
    [`${name} step caller B=4`]: () => buildStepGraph(spec, 4, 'caller').bytes,
    [`${name} gather 8→4`]: () => buildGatherGraph(spec, 8, 4).bytes,
    [`${name} grad float32 B=2`]: () => buildGradGraph(spec, 2).bytes,
    [`${name} grad float64 tied B=2`]: () => buildGradGraph(tied, 2, 'float64').bytes,
  };
}

/** One-hot in float64 (gradient-check graphs): its Cast is the only float64 path the model graphs lack. */
function oneHotFloat64(): Uint8Array {
  const g = new GraphBuilder('float64');
  g.output(oneHot(g, g.input('x', [3], 'int32'), 5), 'y');
  return g.toBytes();
}

const PINNED: Record<string, string> = {
  'nano train B=32': 'd74a923d110f871a2ad9686f28650eedab862748cd18898a12bece970acb0210',
  'nano train tied B=2': 'acea1fbbba9e80225973d8328070669ce8aa2f087b1c73cc9fa104408b0bf2ca',
  'nano eval B=32': '36e733d3464cdfbedadc7a387659e7e0f8800e15c20e6f302adba0792d5d1c9b',
  'nano sample B=1': 'd44d46058a666f8a88090442b0718c17de40b0fbe1ea36e646b3bcc5a288c849',
  'nano sample B=8': '1bb49b877e5f164b0a98e4d0055acc383f0f8610038f40cc652e48a686e3c9f8',
  'nano step graph B=4': '3b6620cb8633d410b4fca9381a82cf02582eef342eb1277732e023ebafcd92d5',
  'nano step caller B=4': 'f7082691fd3d437270a6d5d1323f6f14e6bf1aaa2894e6cf6ee1816887af4877',
  'nano gather 8→4': 'e2093fe4652046340d549c8835f232405d2991dd525cca87d7e42bc731ba3bb3',
  'nano grad float32 B=2': '7d38953cc656a5a3d4bb84cec455ee78cd5c03faea98eceb6e522ba708f7b3a4',
  'nano grad float64 tied B=2': '813954e76d84e6b755d9cf5c6b047b4a1d49106080cfb8c4ca5e96ad42cc7394',
  'tiny train B=32': 'c42dcbc1a9b5094b28873e45f4f2f0ae5c0f8c387c5855ed82b972867229220e',
  'tiny train tied B=2': 'c0b0f6115c7c49401a13a4869dedb530522ef93829e9e61b5096c8ae96e115c8',
  'tiny eval B=32': '25c79d26644dbace9e6401b49f2a6de3c446cfd00e56da13420c8a1a38c024e6',
  'tiny sample B=1': '8347794c6706ae3ff71f282454246e422ff149018969216b463fe336f6775b61',
  'tiny sample B=8': '997953ee5ee5e94f7b92bc8457650189d9e0ec5004f3b8cf79270aa22fe1cbb2',
  'tiny step graph B=4': '988b0e0ccdd4969c3458b754f590866f2ea81a3f1f9eb7a4f25edcab7fdafbb4',
  'tiny step caller B=4': 'e09b37ce961935fc0c45695cf498e4e0acfeb0e69adfa022283e48b58e237ae4',
  'tiny gather 8→4': 'b4f2843d4a9af574ef8c3ce6379bacca7c6572efffa90bb3944af466032119e4',
  'tiny grad float32 B=2': '6870de48d5ae6171b6c1e173e2cc1c84bd1b52780830978e972ccf2844592748',
  'tiny grad float64 tied B=2': '4c9a2dc525b779cf73f45eb88df4d6e4519f76d9678737bfc15ba410292e9d8d',
  'small train B=32': 'f9d0b50946e427b29fd86db83cd3cc4c4cad3495cd9836e3f142a296b88eeb49',
  'small train tied B=2': '44743cb9567effea56ee75aca568f0a1a659c3255a7201c20d7e7e8e453731b8',
  'small eval B=32': '511e991882c9c6f0c90521e8fba82c35562334a1b900c20df325015d7f7144e7',
  'small sample B=1': 'fd4f4dd716bbba6f8f80d3c43949343be2b37deaa336d477af37baf209f75213',
  'small sample B=8': '154ea313718c25fc9077c708496d5b9ee74f9522a2b3af72b2cd7f5902235c47',
  'small step graph B=4': 'be6ffe2833c95c310ae6dd721943f84de430b91a9271e263b82bd20f6c5ed1d6',
  'small step caller B=4': 'e7c748cae80a7ec7469127ce04c4e23c653d7573d3b73d55ed1c44b7eecae057',
  'small gather 8→4': '93710f4770d4d29126cce6ce50b7b02a8deedd175721628b1a2efcc26b1c8cc8',
  'small grad float32 B=2': 'b47630eb269fab13449ef8065bbb9270474daa3e707a0638d54dada02ecb75fc',
  'small grad float64 tied B=2': '208fb224bf56f7f43cdc5f999e95a2059b5f7bdb48d46c92915275febe7e88e1',
  'oneHot float64': '6be9150279bdc0f9b24f80bdfdc012f38488dd95b5747ce92f49a6a65a6f3777',
};

describe('graph pins', () => {
  it('every graph the engines build is byte for byte the pinned one', () => {
    const graphs: Record<string, () => Uint8Array> = {
      ...presetGraphs('nano'),
      ...presetGraphs('tiny'),
      ...presetGraphs('small'),
      'oneHot float64': oneHotFloat64,
    };
    const actual = Object.fromEntries(Object.entries(graphs).map(([k, build]) => [k, sha256(build())]));
    expect(actual).toEqual(PINNED);
  });
});
