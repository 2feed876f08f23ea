import { sortByName } from '@shared/sortText'
import { afterEach, beforeEach, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Account } from '@shared/contract/accounts'
import type { KeyList, KeyRow } from '@shared/contract/keys'
import { createAccountsClient } from '@renderer/api/accountsClient'
import { createCorporaClient } from '@renderer/api/corporaClient'
import { createKeysClient } from '@renderer/api/keysClient'
import { useAccountsStore } from '@renderer/stores/accounts'
import { useCorporaStore } from '@renderer/stores/corpora'
import { useKeysStore } from '@renderer/stores/keys'
import { createMockBridge, type MockHandlers } from './mockBridge'

export const NOW = Date.UTC(2025, 5, 2, 10, 42)
const DAY = 24 * 60 * 60 * 1000

let counter = 0

export function makeRow(overrides: Partial<KeyRow> = {}): KeyRow {
  counter++
  return {
    id: `aky_${String(counter).padStart(4, '0')}`,
    name: `key-${counter}`,
    kind: 'query',
    maskedSecret: 'zqt_…Ab3d',
    secretStored: true,
    enabled: true,
    corpora: ['docs'],
    firstSeenAt: NOW - 40 * DAY,
    lastUsedAt: NOW - 3 * DAY,
    ...overrides
  }
}

export function makeList(
  keys: KeyRow[],
  accountId = 'acc_1',
  syncedAt: number | null = NOW
): KeyList {
  // As main sends it: in name order (the store relies on that for its default sort).
  return { accountId, keys: sortByName(keys), syncedAt }
}

export const sandbox: Account = {
  id: 'acc_sandbox',
  name: 'Sandbox',
  baseUrl: 'http://127.0.0.1:41231',
  authKind: 'sandbox',
  builtin: true,
  createdAt: NOW - 90 * DAY
}

export const production: Account = {
  id: 'acc_1',
  name: 'Production',
  baseUrl: 'https://api.vectara.io',
  authKind: 'api_key',
  builtin: false,
  createdAt: NOW - 30 * DAY
}

export const staging: Account = {
  id: 'acc_2',
  name: 'Staging',
  baseUrl: 'https://api.vectara.io',
  authKind: 'oauth',
  oauthClientId: 'client-123',
  oauthTokenUrl: 'https://auth.vectara.io/oauth2/token',
  builtin: false,
  createdAt: NOW - 10 * DAY
}

/**
 * A fresh Pinia with the stores wired to one contract-checked mock bridge. `window.api` is set
 * too, so anything that falls back to getBridge() talks to the same mock.
 */
export function setup(handlers: MockHandlers = {}) {
  setActivePinia(createPinia())
  const mock = createMockBridge(handlers)
  ;(globalThis as { api?: unknown }).api = mock.bridge
  const keys = useKeysStore()
  keys.useClient(createKeysClient(mock.bridge))
  const accounts = useAccountsStore()
  accounts.useClient(createAccountsClient(mock.bridge))
  useCorporaStore().useClient(createCorporaClient(mock.bridge))
  return { ...mock, keys, accounts }
}

/** Names of the calls the mock received, in order. */
export function callNames(invoke: ReturnType<typeof vi.fn>): string[] {
  return invoke.mock.calls.map((c) => c[0] as string)
}

/**
 * happy-dom lays nothing out, so every element measures 0×0 and a virtualizer would render no
 * rows. Give elements a viewport-sized box, as a browser would, and a ResizeObserver that
 * reports it after "layout" (a task later), as a browser's does; happy-dom's never reports.
 */
export function fakeLayout(height = 480, width = 1200): () => void {
  const h = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height)
  const w = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(width)
  const original = globalThis.ResizeObserver
  class LayoutResizeObserver {
    private live = true
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element): void {
      setTimeout(() => {
        if (!this.live) return
        const rect = { width, height } as DOMRectReadOnly
        this.callback([{ target, contentRect: rect } as ResizeObserverEntry], this)
      })
    }
    unobserve(): void {}
    disconnect(): void {
      this.live = false
    }
  }
  globalThis.ResizeObserver = LayoutResizeObserver
  window.ResizeObserver = LayoutResizeObserver
  return () => {
    h.mockRestore()
    w.mockRestore()
    globalThis.ResizeObserver = original
    window.ResizeObserver = original
  }
}

/** Teleported content (menus, dialogs) lives in document.body, outside the wrapper. */
export function body(): HTMLElement {
  return document.body
}

/** Elements that have a role implicitly, as native controls do (a radio input is a "radio"). */
const IMPLICIT_ROLES: Record<string, string> = { radio: 'input[type="radio"]:not([role])' }

const roleSelector = (role: string): string =>
  [`[role="${role}"]`, IMPLICIT_ROLES[role]].filter(Boolean).join(', ')

/** The radios in a scope, headless (`role="radio"`) or native. */
export function radiosIn(scope: ParentNode): HTMLElement[] {
  return [...scope.querySelectorAll<HTMLElement>(roleSelector('radio'))]
}

/** Checked, for a native input or an element that says so with aria-checked. */
export function isChecked(el: HTMLElement): boolean {
  return el instanceof HTMLInputElement ? el.checked : el.getAttribute('aria-checked') === 'true'
}

export function byRole(role: string, name?: string | RegExp): HTMLElement[] {
  return [...document.body.querySelectorAll<HTMLElement>(roleSelector(role))].filter((el) => {
    if (name === undefined) return true
    const label = accessibleName(el)
    return typeof name === 'string' ? label === name : name.test(label)
  })
}

/** Enough of the accessible-name algorithm for these tests: aria-label, labelledby, labels, text. */
export function accessibleName(el: HTMLElement): string {
  const label = el.getAttribute('aria-label')
  if (label) return label.trim()
  const labelledBy = el.getAttribute('aria-labelledby')
  if (labelledBy) {
    return labelledBy
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim()
  }
  if (el.id) {
    const forLabel = document.querySelector(`label[for="${el.id}"]`)
    if (forLabel) return (forLabel.textContent ?? '').replace(/\s+/g, ' ').trim()
  }
  // A control inside its <label> is named by the label's text.
  const wrapping = el.closest('label')
  if (wrapping && wrapping !== el) el = wrapping
  const clone = el.cloneNode(true) as HTMLElement
  clone.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove())
  return (clone.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/**
 * For view tests that mount the key table: unmount after each test, give elements a browser's
 * layout (fakeLayout) for its duration, and take the mock bridge away afterwards.
 */
export function useViewTestEnvironment(): void {
  enableAutoUnmount(afterEach)
  let restoreLayout: () => void
  beforeEach(() => {
    restoreLayout = fakeLayout()
  })
  afterEach(() => {
    restoreLayout()
    delete (globalThis as { api?: unknown }).api
  })
}
