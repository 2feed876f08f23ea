import { describe, expect, it } from 'vitest'
import type { KeyRow } from '@shared/contract/keys'
import { describeAccountFailure } from '@renderer/accounts/accountErrors'
import { checkServiceUrl } from '@renderer/accounts/baseUrl'
import { describeLoadProblem } from '@renderer/keys/loadProblem'
import { describeStatus } from '@renderer/keys/keyStatus'
import { normalizeFieldErrors } from '@renderer/utils/fieldErrors'
import { isStale } from '@shared/keyKinds'
import { formatRelative, formatRemaining, secondsLeft } from '@renderer/utils/time'
import { AppError } from '@shared/errors'
import { makeRow, NOW } from './fixtures'

const MIN = 60_000
const DAY = 24 * 60 * MIN

describe('relative time', () => {
  it('reads naturally from seconds to years', () => {
    expect(formatRelative(NOW - 10_000, NOW)).toBe('just now')
    expect(formatRelative(NOW - 2 * MIN, NOW)).toBe('2 min ago')
    expect(formatRelative(NOW - 5 * 60 * MIN, NOW)).toBe('5 h ago')
    expect(formatRelative(NOW - 1.5 * DAY, NOW)).toBe('yesterday')
    expect(formatRelative(NOW - 3 * DAY, NOW)).toBe('3 days ago')
    expect(formatRelative(NOW - 65 * DAY, NOW)).toBe('2 months ago')
    expect(formatRelative(NOW - 400 * DAY, NOW)).toBe('1 year ago')
  })

  it('counts down and flags stale keys after 30 days', () => {
    expect(formatRemaining(44_200)).toBe('about 45 s')
    expect(formatRemaining(150_000)).toBe('about 3 min')
    expect(formatRemaining(-1)).toBe('any moment')
    expect(secondsLeft(NOW + 29_001, NOW)).toBe(30)
    expect(isStale(NOW - 31 * DAY, NOW)).toBe(true)
    expect(isStale(NOW - 29 * DAY, NOW)).toBe(false)
    expect(isStale(null, NOW)).toBe(false)
    // Never used: stale only once the app has known the key for 30 days.
    expect(isStale(null, NOW, NOW - 29 * DAY)).toBe(false)
    expect(isStale(null, NOW, NOW - 31 * DAY)).toBe(true)
  })
})

describe('status of a key', () => {
  const base = makeRow({ enabled: false })
  const propagating = (p: Partial<NonNullable<KeyRow['propagation']>>): KeyRow => ({
    ...base,
    propagation: {
      action: 'disable',
      startedAt: NOW - 15_000,
      mode: 'countdown',
      expectedBy: NOW + 45_000,
      state: 'pending',
      ...p
    }
  })

  it('says what is pending while a change propagates', () => {
    expect(describeStatus(base, 'disable', NOW)).toMatchObject({ label: 'Disabling…', busy: true })
    expect(describeStatus(propagating({}), undefined, NOW)).toMatchObject({
      label: 'Disabling…',
      detail: 'about 45 s'
    })
    expect(describeStatus(propagating({ mode: 'probing' }), undefined, NOW)).toMatchObject({
      label: 'Disabling…',
      detail: 'checking'
    })
  })

  it('says when the change took effect, or that it probably did, or that it did not show', () => {
    const confirmedAt = new Date(2025, 5, 2, 10, 42).getTime()
    const blocked = describeStatus(
      propagating({ state: 'confirmed', confirmedAt }),
      undefined,
      confirmedAt + MIN
    )
    expect(blocked.label).toBe('Disabled')
    expect(blocked.detail).toMatch(/^Blocked since 10:42/)
    const serving = describeStatus(
      { ...propagating({ action: 'enable', state: 'confirmed', confirmedAt }), enabled: true },
      undefined,
      confirmedAt
    )
    expect(serving.detail).toMatch(/^Serving since 10:42/)
    expect(describeStatus(propagating({ state: 'assumed' }), undefined, NOW).detail).toBe(
      'Probably blocked'
    )
    expect(describeStatus(propagating({ state: 'timeout' }), undefined, NOW)).toMatchObject({
      tone: 'warning',
      detail: 'Still answering'
    })
  })

  it('is plain Enabled / Disabled otherwise', () => {
    expect(describeStatus(makeRow(), undefined, NOW).label).toBe('Enabled')
    expect(describeStatus(base, undefined, NOW).label).toBe('Disabled')
  })
})

describe('load problems', () => {
  it('explains an unreachable Vectara and keeps the cached list time', () => {
    const syncedAt = new Date(2025, 5, 2, 10, 42).getTime()
    const view = describeLoadProblem(
      { code: 'NETWORK_ERROR', message: 'ENOTFOUND' },
      syncedAt,
      true,
      syncedAt + MIN
    )
    expect(view.kind).toBe('offline')
    expect(view.title).toMatch(/^Vectara could not be reached\. Showing the list from 10:42/)
  })

  it('treats 401 and 403 as a rejected credential', () => {
    expect(describeLoadProblem({ code: 'API_UNAUTHORIZED', message: '' }, null, false).kind).toBe(
      'rejected'
    )
    expect(describeLoadProblem({ code: 'API_FORBIDDEN', message: '' }, null, false).kind).toBe(
      'rejected'
    )
    expect(describeLoadProblem({ code: 'DB_ERROR', message: 'locked' }, null, false)).toEqual({
      kind: 'other',
      title: 'The key list could not be loaded.',
      detail: 'locked'
    })
  })
})

describe('form errors', () => {
  it('maps main and Vectara field paths onto form fields', () => {
    expect(
      normalizeFieldErrors({
        'credential.apiKey': 'Paste the Personal API key',
        corpus_keys: 'unknown corpus',
        'corpusKeys.0': 'second message is ignored',
        base_url: 'bad'
      })
    ).toEqual({
      apiKey: 'Paste the Personal API key',
      corpusKeys: 'unknown corpus',
      baseUrl: 'bad'
    })
  })

  it('refuses plain http except on loopback', () => {
    expect(checkServiceUrl('https://api.vectara.io')).toBeNull()
    expect(checkServiceUrl('http://127.0.0.1:4000')).toBeNull()
    expect(checkServiceUrl('http://example.com')).toMatch(/https/)
    expect(checkServiceUrl('api.vectara.io')).toMatch(/full address/)
  })

  it('says plainly when Vectara rejects an account credential', () => {
    const rejected = describeAccountFailure(
      new AppError('API_UNAUTHORIZED', '401', { status: 401 }),
      'api_key',
      'https://api.vectara.io'
    )
    expect(rejected.credentialRejected).toBe(true)
    expect(rejected.message).toMatch(
      /^Vectara rejected this key: it is unknown, disabled or lacks permission to list API keys/
    )
    expect(
      describeAccountFailure(new AppError('API_FORBIDDEN', '403'), 'oauth', 'x').message
    ).toMatch(/^Vectara rejected this client/)
    expect(
      describeAccountFailure(
        new AppError('NETWORK_ERROR', 'ECONNREFUSED'),
        'api_key',
        'https://x.io'
      ).message
    ).toBe('Vectara could not be reached at https://x.io. Check the URL and your connection.')
  })
})
