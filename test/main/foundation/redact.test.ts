import { describe, expect, it } from 'vitest'
import { maskSecret, redactSecrets } from '@shared/redact'

describe('maskSecret', () => {
  it('shows the kind prefix and the last 4 characters only', () => {
    expect(maskSecret('zqt_9xQabcdefgh7edrd6A')).toBe('zqt_…d6A'.replace('…d6A', '…rd6A'))
    expect(maskSecret('zut_0000000000001234')).toBe('zut_…1234')
  })

  it('reveals nothing of short or unknown secrets', () => {
    expect(maskSecret('zqt_abc')).toBe('zqt_…')
    expect(maskSecret('plainsecret')).toBe('…')
  })
})

describe('redactSecrets', () => {
  it('leaves ordinary text alone', () => {
    expect(redactSecrets('listed 3 keys for profile p1')).toBe('listed 3 keys for profile p1')
  })
})
