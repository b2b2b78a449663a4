import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** Node's built-in modules, by either spelling: code that also runs in the browser may import none. */
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'url',
  'crypto',
];

/**
 * Layers import downward only (layerOrder). Each entry names a layer's folder and the folders (one level
 * up from a file in it) it must not import; `node: true` marks a layer whose code runs in the browser, so
 * it may import no Node built-ins. bench sits on top: it may import every layer, cli included. `modules`
 * names modules below a layer that it must not import either, with the reason.
 */
const layerOrder = 'world, model → engine → sim → findings → charts, worker → app, cli → bench';
/** @type {{ dir: string, above: string[], node: boolean, modules?: { group: string[], message: string } }[]} */
const layers = [
  {
    dir: 'world',
    above: ['model', 'engine', 'sim', 'findings', 'charts', 'worker', 'app', 'cli', 'bench'],
    node: true,
  },
  {
    dir: 'model',
    above: ['engine', 'sim', 'findings', 'charts', 'worker', 'app', 'cli', 'bench'],
    node: true,
  },
  { dir: 'engine', above: ['sim', 'findings', 'charts', 'worker', 'app', 'cli', 'bench'], node: false },
  {
    dir: 'sim',
    above: ['findings', 'charts', 'worker', 'app', 'cli', 'bench'],
    node: true,
    modules: {
      group: ['../engine/ngram*', '../engine/ort-*', '../engine/node*', '../engine/browser*'],
      message:
        'The simulation never names a concrete engine: its engines come from its createEngine option, through the interface of engine/types.ts.',
    },
  },
  { dir: 'findings', above: ['charts', 'worker', 'app', 'cli', 'bench'], node: true },
  { dir: 'charts', above: ['worker', 'app', 'cli', 'bench'], node: true },
  { dir: 'worker', above: ['app', 'cli', 'bench'], node: true },
  { dir: 'app', above: ['cli', 'bench'], node: true },
  { dir: 'cli', above: ['app', 'bench'], node: false },
];

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'coverage/', '.tmp/', 'test-results/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // An array spread into a call's arguments puts every element on the stack: past about 100,000 it
    // throws RangeError (a 10,000-generation import broke a chart this way). Loops, reduce or d3.max.
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: ':matches(CallExpression, NewExpression) > SpreadElement',
          message:
            'No spread into function arguments (Math.max(...xs), push(...xs)): it overflows the stack on large arrays. Use a loop, reduce or d3.max.',
        },
      ],
    },
  },
  {
    // A backstop, not a target: files are split by job, not by line count, but a file past 600 lines
    // of code has almost surely taken on a second job. The largest today is src/findings/findings.ts
    // (a catalogue) at about 510. Blank lines and comments do not count: explaining costs nothing.
    files: ['src/**/*.ts', 'src/**/*.svelte', 'test/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  ...layers.map(({ dir, above, node, modules }) => ({
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: above.flatMap((layer) => [`../${layer}/*`, `../../${layer}/*`]),
              message: `src/${dir} sits below that layer: layers import downward only (${layerOrder}).`,
            },
            ...(modules ? [modules] : []),
            ...(node
              ? [
                  {
                    group: nodeBuiltins,
                    message: `src/${dir} also runs in the browser: no Node built-ins here.`,
                  },
                ]
              : []),
          ],
        },
      ],
    },
  })),
  {
    // The page knows a worker by its API file only; the worker itself is started from its URL.
    files: ['src/app/**/*.ts', 'src/app/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/worker/*', '!**/worker/*-api.ts'],
              message: "The page imports a worker's API file (src/worker/*-api.ts), never the worker itself.",
            },
          ],
        },
      ],
    },
  },
  {
    // The app never parses a string into markup, so no user-supplied text can become HTML.
    files: ['src/app/**/*.ts', 'src/app/**/*.svelte'],
    rules: {
      'svelte/no-at-html-tags': 'error',
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
          property,
          message: 'Set text (textContent, Svelte text) or build nodes: the app renders no string as HTML.',
        })),
        { object: 'document', property: 'write', message: 'The app renders no string as HTML.' },
      ],
    },
  },
);
