import type { RotationHooks } from '../rotation/rotationService'
import type { ExpiryService } from '../services/expiryService'

/**
 * The Rotate dialog's "Expires" field: rotation keeps `expiresAt` and `disableAtExpiry` in the
 * plan's extras, the date is checked before anything is created, and set on the new key as soon
 * as Vectara has created it (a failure there is logged by rotation; the key shows no date and
 * "Set expiry…" still works).
 */
export function newKeyExpiryHooks(
  expiry: Pick<ExpiryService, 'checkPlanned' | 'set'>
): RotationHooks {
  return {
    checkPlan({ accountCredential, extras }) {
      if (typeof extras.expiresAt !== 'number') return
      expiry.checkPlanned(extras.expiresAt, extras.disableAtExpiry === true, accountCredential)
    },
    async twinCreated({ accountId, newKeyId, extras }) {
      if (typeof extras.expiresAt !== 'number') return
      await expiry.set({
        accountId,
        keyId: newKeyId,
        expiresAt: extras.expiresAt,
        disableAtExpiry: extras.disableAtExpiry === true
      })
    }
  }
}
