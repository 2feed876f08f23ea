/** What a row's action menu can ask for. */
export type KeyAction = 'copy' | 'reveal' | 'playground' | 'expiry' | 'toggle' | 'rotate' | 'delete'

/** What a row hands up to the view: Reveal stays in the row; a missing secret asks for one. */
export type RowAction = Exclude<KeyAction, 'reveal'> | 'paste'

/**
 * The legacy `api_key_role` a new key gets: Query keys serve, Index keys also index, a Personal
 * key acts as the user who made it.
 */
export type Access = 'serving' | 'serving_and_indexing' | 'personal'
