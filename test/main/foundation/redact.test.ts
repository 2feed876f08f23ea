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

  it('redacts a key right after an escape sequence, as JSON and snippets write it', () => {
    const key = 'zqt_AbCdEfGh12345678XyZw'
    const json = JSON.stringify({ query: `my key\t${key}`, other: `\u0001${key}` })
    expect(json).toContain('\\t' + key)
    const redacted = redactSecrets(json)
    expect(redacted).not.toContain(key)
    expect(redacted).toContain('\\tzqt_[redacted]')
    expect(redactSecrets(`line\\n${key}`)).toBe('line\\nzqt_[redacted]')
    expect(redactSecrets(`"\\tBearer abcdefghijklmnop"`)).toBe('"\\tBearer [redacted]"')
  })
})
