import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { externalLinks } from '@shared/links'
import { openExternalLink } from '../../../src/main/externalLinks'
import {
  CONTENT_SECURITY_POLICY,
  isTrustedSenderUrl,
  shouldBlockNavigation
} from '../../../src/main/security'
import { resolveAppFile, responseHeadersFor } from '../../../src/main/protocol'

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/)
        return [name, values.join(' ')]
      })
  )
}

describe('content security policy', () => {
  const strict = directives(CONTENT_SECURITY_POLICY)

  it('allows only the app itself: no inline code, no eval, no remote hosts', () => {
    expect(strict.get('default-src')).toBe("'self'")
    expect(strict.get('script-src')).toBe("'self'")
    expect(strict.get('style-src')).toBe("'self'")
    expect(strict.get('connect-src')).toBe("'self'")
    expect(strict.get('object-src')).toBe("'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })

  it('is the policy in the renderer index.html meta tag (meta cannot carry frame-ancestors)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta, 'index.html must carry a CSP meta tag').not.toBeNull()
    const fromHtml = directives(meta![1])
    const expected = new Map(strict)
    expected.delete('frame-ancestors')
    expect(fromHtml).toEqual(expected)
  })

  it('is also sent as a header with every app:// response', () => {
    expect(responseHeadersFor('/x/index.html')['content-security-policy']).toBe(
      CONTENT_SECURITY_POLICY
    )
  })
})

describe('external links', () => {
  it('opens exactly the allowlisted pages, each to its own URL', () => {
    for (const url of Object.values(externalLinks)) {
      const opener = { openExternal: vi.fn(async () => undefined) }
      expect(openExternalLink(url, opener)).toBe(true)
      expect(opener.openExternal).toHaveBeenCalledExactlyOnceWith(url)
      expect(url).toMatch(/^https:\/\/(docs|console)\.vectara\.com\//)
    }
  })

  it('opens nothing else', () => {
    const opener = { openExternal: vi.fn(async () => undefined) }
    for (const url of [
      'http://docs.vectara.com/',
      'https://docs.vectara.com/docs/other-page',
      'https://docs.vectara.com.evil.example/',
      'https://user:pw@console.vectara.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url'
    ]) {
      expect(openExternalLink(url, opener), url).toBe(false)
    }
    expect(opener.openExternal).not.toHaveBeenCalled()
  })
})

describe('sender check', () => {
  it('trusts only the listed origins', () => {
    expect(isTrustedSenderUrl('app://vkm/index.html', ['app://vkm'])).toBe(true)
    expect(
      isTrustedSenderUrl('http://localhost:5173/', ['app://vkm', 'http://localhost:5173'])
    ).toBe(true)
    for (const url of [
      'app://vkm2/index.html',
      'http://localhost:5173/',
      'https://vkm/',
      undefined,
      '',
      '::'
    ]) {
      expect(isTrustedSenderUrl(url, ['app://vkm']), String(url)).toBe(false)
    }
  })

  it('blocks all navigation', () => {
    expect(shouldBlockNavigation('app://vkm/index.html')).toBe(true)
    expect(shouldBlockNavigation('https://docs.vectara.com')).toBe(true)
  })
})

describe('app:// file resolution', () => {
  const root = '/opt/vkm/renderer'

  it('maps app://vkm paths inside the renderer folder', () => {
    expect(resolveAppFile('app://vkm/', root)).toBe('/opt/vkm/renderer/index.html')
    expect(resolveAppFile('app://vkm/assets/index-1.js', root)).toBe(
      '/opt/vkm/renderer/assets/index-1.js'
    )
  })

  it.each(['app://vkm/../../etc/passwd', 'app://vkm/%2e%2e/%2e%2e/etc/passwd'])(
    'keeps %s inside the folder (the URL parser already collapses dot segments)',
    (url) => {
      const file = resolveAppFile(url, root)
      expect(file === null || file.startsWith(root + '/')).toBe(true)
    }
  )

  it.each([
    'app://vkm/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://vkm/a%5c..%5c..%5csecret',
    'app://vkm/%00',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://vkm/%E0%A4%A'
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, root)).toBeNull()
  })
})
