import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.js', 'scripts/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is pure: no I/O, no drivers, no clock. Time comes from the Clock port.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:fs', 'fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process'], message: 'The core does no I/O.' },
          { group: ['fastify', 'fastify/*', 'better-sqlite3', 'pg', 'pino', 'commander', '@nats-io/*'], message: 'The core does not depend on adapters or interfaces.' },
          { group: ['**/adapters/**', '**/services/**', '**/http/**', '**/cli/**'], message: 'The core depends on nothing outside it.' },
        ],
      }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use the Clock port.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the Clock port.' }],
    },
  },
);
