import { externalLinks } from '@shared/links'

export interface Opener {
  openExternal(url: string): Promise<void>
}

/**
 * Opens one of the allowlisted pages in the user's browser. Each call site passes a string
 * literal, so no URL that came from a page ever reaches the OS (Electronegativity's
 * OPEN_EXTERNAL check holds us to that); the test checks every case opens its own link.
 */
export function openExternalLink(requested: string, opener: Opener): boolean {
  switch (requested) {
    case externalLinks.console:
      void opener.openExternal('https://console.vectara.com/')
      return true
    case externalLinks.apiKeysDocs:
      void opener.openExternal('https://docs.vectara.com/docs/console-ui/manage-api-access')
      return true
    case externalLinks.authenticationDocs:
      void opener.openExternal('https://docs.vectara.com/docs/api-reference/authentication')
      return true
    case externalLinks.queryDocs:
      void opener.openExternal('https://docs.vectara.com/docs/api-reference/search-apis/search')
      return true
    default:
      return false
  }
}
