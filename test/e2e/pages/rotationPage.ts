import { expect, type Locator, type Page } from '@playwright/test'
import type { KeysPage } from './keysPage'

export interface RotationChoices {
  /** "Disable the old key": the dialog starts on "When I confirm". */
  disable?: 'Now' | 'In 1 hour' | 'In 24 hours' | 'When I confirm'
  /** "Delete the old key": the dialog starts on "7 days after it is blocked". */
  delete?: '7 days after it is blocked' | '1 day after it is blocked' | 'Never'
  name?: string
}

/** "Rotate <key name>" and the Rotations panel, as a user works them. */
export class RotationPage {
  constructor(
    readonly page: Page,
    readonly keys: KeysPage
  ) {}

  dialog(keyName: string): Locator {
    return this.page.getByRole('dialog', { name: `Rotate ${keyName}` })
  }

  /** From the key's row menu to the plan, read and ready. */
  async openPlan(keyName: string): Promise<Locator> {
    await this.keys.chooseAction(keyName, 'Rotate…')
    const dialog = this.dialog(keyName)
    await expect(dialog.getByRole('button', { name: 'Start rotation' })).toBeVisible()
    return dialog
  }

  async choose(dialog: Locator, choices: RotationChoices): Promise<void> {
    if (choices.name !== undefined)
      await dialog.getByRole('textbox', { name: 'Name' }).fill(choices.name)
    if (choices.disable)
      await dialog
        .getByRole('radiogroup', { name: 'Disable the old key' })
        .getByRole('radio', { name: choices.disable, exact: true })
        .click()
    if (choices.delete)
      await dialog
        .getByRole('radiogroup', { name: 'Delete the old key' })
        .getByRole('radio', { name: choices.delete, exact: true })
        .click()
  }

  /** Plans and starts a rotation; returns the dialog, now showing the steps. */
  async rotate(keyName: string, choices: RotationChoices = {}): Promise<Locator> {
    const dialog = await this.openPlan(keyName)
    await this.choose(dialog, choices)
    await dialog.getByRole('button', { name: 'Start rotation' }).click()
    await expect(this.steps(dialog)).toBeVisible()
    return dialog
  }

  steps(scope: Locator): Locator {
    return scope.getByRole('list', { name: /^Steps of rotating / })
  }

  step(scope: Locator, title: string): Locator {
    return scope.getByRole('listitem', { name: new RegExp(`^Step \\d: ${title}$`) })
  }

  banner(): Locator {
    return this.page.getByRole('button', { name: /rotations? in progress$/ })
  }

  async openPanel(): Promise<Locator> {
    await this.banner().click()
    const panel = this.page.getByRole('dialog', { name: 'Rotations' })
    await expect(panel).toBeVisible()
    return panel
  }
}
