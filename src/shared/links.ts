/**
 * The only pages the app will open in the user's browser. Main opens exactly these URLs and
 * nothing else (see src/main/externalLinks.ts), so a compromised page cannot open arbitrary
 * URLs or schemes through the OS.
 */
export const externalLinks = {
  console: 'https://console.vectara.com/',
  apiKeysDocs: 'https://docs.vectara.com/docs/console-ui/manage-api-access',
  authenticationDocs: 'https://docs.vectara.com/docs/api-reference/authentication',
  queryDocs: 'https://docs.vectara.com/docs/api-reference/search-apis/search'
} as const

export type ExternalLinkId = keyof typeof externalLinks
