// The linter, run by `npm test` after the type check: Next.js's rules (core web
// vitals: React, hooks, accessibility, imports, Next.js) and typescript-eslint's.
//
// The project type-checks with TypeScript 7, whose package has no JavaScript API;
// typescript-eslint parses with the TypeScript 6 API. So, in this (linter) process
// only, `require('typescript')` loads TypeScript 6, installed as `typescript6`
// (package.json: `npm:typescript@^6`). The same mismatch is why `npm ci` warns
// ERESOLVE about typescript-eslint's peer range; that warning is expected.
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const typescript6 = require.resolve('typescript6');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveTypeScript6(request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? typescript6 : request, ...rest);
};

const { default: nextVitals } = await import('eslint-config-next/core-web-vitals');
const { default: nextTypeScript } = await import('eslint-config-next/typescript');

const config = [
  ...nextVitals,
  ...nextTypeScript,
  {
    rules: {
      // `_name` marks a binding kept on purpose (a rest-destructure that drops a key, an unused callback argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Tests feed deliberately malformed values through typed APIs.
    files: ['**/*.test.ts', '**/*test-harness.ts', '**/test-rig.ts', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Kernel images are data: URLs drawn as they came; next/image has nothing to optimise in them.
    files: ['app/render/**', 'notebook-model/render/**'],
    rules: { '@next/next/no-img-element': 'off' },
  },
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', 'generated/**', 'test-results/**', 'playwright-report/**', 'data/**', 'next-env.d.ts'],
  },
];

export default config;
