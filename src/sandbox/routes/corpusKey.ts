/** The spec's CorpusKey, anchored at both ends (the spec's pattern only anchors the end). */
export const CORPUS_KEY_PATTERN = /^[a-zA-Z0-9_=-]+$/
export const CORPUS_KEY_HINT = 'may contain only letters, digits, _, = and -'
export const CORPUS_KEY_MAX_LENGTH = 50
