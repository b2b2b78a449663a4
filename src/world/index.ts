/** Public API of the knowledge world: rng, world, formats, filler, corpus, probes, tokenizer, checker. */
export * from './rng.ts';
export * from './schema.ts';
export * from './world.ts';
export * from './formats.ts';
export * from './filler.ts';
export * from './corpus.ts';
export * from './probes.ts';
export * from './tokenizer.ts';
export * from './checker.ts';
export { compileGrammar, recognise, sampleGrammar, type Grammar, type CompiledGrammar } from './cfg.ts';
