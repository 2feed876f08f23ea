import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import pluginVue from 'eslint-plugin-vue'
import pluginSdl from '@microsoft/eslint-plugin-sdl'
import prettierConfig from 'eslint-config-prettier'

// Loopback and XML namespaces are the only plain-http URLs the code may contain.
const insecureUrlExceptions = [
  '^http://127\\.0\\.0\\.1',
  '^http://localhost',
  '^http://\\[::1\\]',
  '^http://www\\.w3\\.org/'
]

export default defineConfigWithVueTs(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**'
    ]
  },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  ...pluginSdl.configs.common,
  ...pluginSdl.configs.electron,
  ...pluginSdl.configs.node,
  {
    rules: {
      '@microsoft/sdl/no-insecure-url': [
        'error',
        { exceptions: insecureUrlExceptions, varExceptions: [] }
      ],
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
      'vue/no-v-html': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always']
    }
  },
  {
    files: ['**/*.vue'],
    rules: {
      'vue/multi-word-component-names': 'off'
    }
  },
  {
    // Tests feed insecure URLs on purpose, to prove the app refuses them.
    files: ['test/**/*.ts'],
    rules: { '@microsoft/sdl/no-insecure-url': 'off' }
  },
  {
    // Command-line tools talk to the terminal.
    files: ['scripts/**', 'bench/**', 'src/sandbox/cli.ts', 'test/harness/cli.ts', 'test/tools/**'],
    rules: { 'no-console': 'off' }
  },
  prettierConfig
)
