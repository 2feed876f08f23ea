/** The spec's `Language` enum. */
export const LANGUAGES = [
  'auto',
  'eng',
  'deu',
  'fra',
  'zho',
  'kor',
  'ara',
  'rus',
  'tha',
  'nld',
  'ita',
  'por',
  'spa',
  'jpn',
  'pol',
  'tur',
  'vie',
  'ind',
  'ces',
  'ukr',
  'ell',
  'heb',
  'fas',
  'hin',
  'urd',
  'swe',
  'ben',
  'msa',
  'ron'
] as const
export type Language = (typeof LANGUAGES)[number]

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
