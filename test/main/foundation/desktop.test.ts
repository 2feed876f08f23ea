import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryClipboard } from '../../../src/main/clipboard'
import { HeadlessDesktop } from '../../../src/main/desktop'
import { EventBus } from '../../../src/main/router'

describe('HeadlessDesktop (web harness, tests)', () => {
  it('has no folder picker, copies a path instead of showing it, and turns notifications into events', async () => {
    const clipboard = new MemoryClipboard()
    const events = new EventBus()
    const seen: unknown[] = []
    events.subscribe((name, payload) => seen.push({ name, payload }))
    const desktop = new HeadlessDesktop({ clipboard, events })

    expect(desktop.kind).toBe('headless')
    expect(await desktop.chooseFolder()).toBeNull()
    expect(await desktop.showItemInFolder('/home/me/project/.env')).toBe('copied')
    expect(clipboard.readText()).toBe('/home/me/project/.env')
    desktop.notify({ title: 'Key expires tomorrow', body: '"website-search" expires on Dec 2.' })
    expect(seen).toEqual([
      {
        name: 'app.notification',
        payload: { title: 'Key expires tomorrow', body: '"website-search" expires on Dec 2.' }
      }
    ])
  })
})

describe('ElectronDesktop', () => {
  afterEach(() => {
    vi.resetModules()
    vi.doUnmock('electron')
  })

  async function withFakeElectron(supported = true) {
    const shown = vi.fn()
    const fake = {
      dialog: {
        showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/me/project'] }))
      },
      shell: { showItemInFolder: vi.fn() },
      Notification: Object.assign(
        vi.fn(function (this: { show: () => void }, options: unknown) {
          shown(options)
          this.show = vi.fn()
        }),
        { isSupported: () => supported }
      )
    }
    vi.doMock('electron', () => fake)
    const { ElectronDesktop } = await import('../../../src/main/electronDesktop')
    return { fake, shown, ElectronDesktop }
  }

  it('asks the OS for a folder (cancel is null), shows files in the file manager and notifies', async () => {
    const { fake, shown, ElectronDesktop } = await withFakeElectron()
    const window = {}
    const desktop = new ElectronDesktop(() => window as never)

    expect(await desktop.chooseFolder()).toBe('/home/me/project')
    expect(fake.dialog.showOpenDialog).toHaveBeenCalledWith(window, {
      properties: ['openDirectory']
    })
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] })
    expect(await desktop.chooseFolder()).toBeNull()

    expect(await desktop.showItemInFolder('/home/me/project/.env')).toBe('shown')
    expect(fake.shell.showItemInFolder).toHaveBeenCalledWith('/home/me/project/.env')

    desktop.notify({ title: 'Rotation due', body: 'Ready to delete "old key"' })
    expect(shown).toHaveBeenCalledWith({ title: 'Rotation due', body: 'Ready to delete "old key"' })
  })

  it('stays quiet where the desktop has no notification server', async () => {
    const { shown, ElectronDesktop } = await withFakeElectron(false)
    new ElectronDesktop(() => undefined).notify({ title: 't', body: 'b' })
    expect(shown).not.toHaveBeenCalled()
  })
})
