import { expect, type Locator, type Page } from '@playwright/test'

export interface NewKey {
  name: string
  /** The "Access" radio; the dialog starts on Query. */
  access?: 'Query' | 'Query & Index'
  /** Corpus options to tick, matched against their accessible names. */
  corpora?: RegExp[]
}

/**
 * The Keys view as a user works it. The steps every Keys test repeats live here, so a change
 * to the view's names is made once; assertions that are the point of a test stay in the test.
 */
export class KeysPage {
  readonly table: Locator

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'API keys' })
  }

  /**
   * Loads the app (it opens on Keys) and waits for the list. The first load of a fresh harness
   * parses every chunk while the other worker may be scanning a big tree on the same 2 cores: it
   * gets longer than a step inside the app. If the list never comes, the error says what the
   * page showed instead (a CI failure leaves no screenshot to look at).
   */
  async goto(url: string): Promise<void> {
    await this.page.goto(url)
    try {
      await expect(this.table).toBeVisible({ timeout: 30_000 })
    } catch (error) {
      const shown = await this.page
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '(the page did not answer)')
      throw new Error(`The Keys table did not appear. The page showed:\n${shown.slice(0, 2_000)}`, {
        cause: error
      })
    }
    await this.settled()
  }

  /** Goes to Keys through the main navigation and waits for the list. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Keys' }).click()
    await this.settled()
  }

  /** The table stands (busy, with placeholder rows) while the keys load: wait for the keys. */
  async settled(): Promise<void> {
    await expect(this.table).toBeVisible()
    await expect(this.table).not.toHaveAttribute('aria-busy')
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ hasText: name })
  }

  /**
   * Records, from inside the page, every text the key's row shows from now on, and returns a wait
   * for one of them: a state that lasts a second can fall between two polls on a loaded machine.
   */
  async watchRow(name: string): Promise<(text: string) => Promise<void>> {
    await this.page.evaluate((key) => {
      type Watch = { texts: string[]; observer: MutationObserver }
      const watches = ((window as unknown as { rowWatches?: Record<string, Watch> }).rowWatches ??=
        {})
      watches[key]?.observer.disconnect()
      const texts: string[] = []
      const record = (): void => {
        for (const row of Array.from(document.querySelectorAll('[role="row"]'))) {
          const text = row.textContent ?? ''
          if (text.includes(key) && texts.at(-1) !== text) texts.push(text)
        }
      }
      const observer = new MutationObserver(record)
      observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      watches[key] = { texts, observer }
      record()
    }, name)
    return async (text) => {
      await this.page.waitForFunction(
        ([key, wanted]) =>
          (window as unknown as { rowWatches: Record<string, { texts: string[] }> }).rowWatches[
            key
          ]!.texts.some((seen) => seen.includes(wanted)),
        [name, text] as const,
        { timeout: 10_000 }
      )
    }
  }

  menuButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Actions for ${name}` })
  }

  /** Opens the key's row menu and returns it. */
  async openMenu(name: string): Promise<Locator> {
    await this.menuButton(name).click()
    const menu = this.page.getByRole('menu')
    await expect(menu).toBeVisible()
    return menu
  }

  /** Opens the key's row menu and chooses an item ("Copy key", "Disable", "Delete…"). */
  async chooseAction(name: string, item: string): Promise<void> {
    await this.openMenu(name)
    await this.page.getByRole('menuitem', { name: item }).click()
  }

  async openCreateDialog(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Create key', exact: true }).click()
    const dialog = this.page.getByRole('dialog')
    await expect(dialog).toBeVisible()
    return dialog
  }

  /** Fills the Create key form without sending it. */
  async fillCreateDialog(dialog: Locator, key: NewKey): Promise<void> {
    await dialog.getByRole('textbox', { name: 'Name' }).fill(key.name)
    if (key.access) {
      const access = dialog.getByRole('radiogroup', { name: 'Access' })
      await access.getByRole('radio', { name: key.access, exact: true }).click()
    }
    if (key.corpora?.length) {
      await dialog.getByRole('combobox', { name: 'Corpora' }).click()
      for (const corpus of key.corpora) {
        await this.page.getByRole('option', { name: corpus }).click()
      }
      await this.page.keyboard.press('Escape') // closes the corpus list, not the dialog
      await expect(dialog).toBeVisible()
    }
  }

  /** Creates a key through the dialog and returns its row once the dialog has closed. */
  async createKey(key: NewKey): Promise<Locator> {
    const dialog = await this.openCreateDialog()
    await this.fillCreateDialog(dialog, key)
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await expect(dialog).toBeHidden()
    const row = this.row(key.name)
    await expect(row).toBeVisible()
    return row
  }
}
