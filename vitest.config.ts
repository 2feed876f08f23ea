import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = {
  '@shared': resolve(import.meta.dirname, 'src/shared'),
  '@renderer': resolve(import.meta.dirname, 'src/renderer/src')
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'main',
          environment: 'node',
          include: ['test/main/**/*.test.ts'],
          // Native modules (better-sqlite3, keytar) and loopback servers: separate processes.
          pool: 'forks',
          testTimeout: 20_000,
          hookTimeout: 30_000
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'sandbox',
          environment: 'node',
          include: ['test/sandbox/**/*.test.ts'],
          // Loopback servers and better-sqlite3, like main: separate processes.
          pool: 'forks',
          testTimeout: 20_000,
          hookTimeout: 30_000
        }
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts']
        }
      }
    ]
  }
})
