import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', '.gen/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-kubernetes',
              message: 'Import by deep path, e.g. @cdktf/provider-kubernetes/lib/namespace-v1.',
            },
            { name: '@cdktf/provider-helm', message: 'Import by deep path, e.g. @cdktf/provider-helm/lib/release.' },
          ],
        },
      ],
    },
  },
);
