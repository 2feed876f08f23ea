import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A temporary folder tree for scanner tests; `remove()` deletes it. */
export class TempTree {
  readonly root: string

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'vkm-scan-'))
  }

  path(relative: string): string {
    return join(this.root, relative)
  }

  /** Writes `content` at `relative`, creating folders; returns the absolute path. */
  write(relative: string, content: string | Buffer): string {
    const path = this.path(relative)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content)
    return path
  }

  folder(relative: string): string {
    const path = this.path(relative)
    mkdirSync(path, { recursive: true })
    return path
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true })
  }
}
