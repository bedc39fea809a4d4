import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'demo/',
      'bench/results/',
      'bench/tmp/',
      'test-results/',
      'web/dist/',
      '**/.pakhuis/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // ../shared/ beside the repository exists only on the developers' machines (web/src/shared is the web app's own)
    files: ['src/**', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../shared/*', '../shared/*'], message: 'The product never reads ../shared/.' },
          ],
        },
      ],
    },
  },
);
