import { expect, type Locator, type Page } from '@playwright/test'

/** The Playground as a user works it: the steps its tests repeat (see KeysPage). */
export class PlaygroundPage {
  readonly keyPicker: Locator
  readonly queryBox: Locator
  readonly results: Locator
  readonly responseStatus: Locator
  /** The corpora chosen for the query, as chips under the Corpora field. */
  readonly chosenCorpora: Locator

  constructor(readonly page: Page) {
    this.keyPicker = page.getByLabel('API key')
    this.queryBox = page.getByLabel('Query', { exact: true })
    this.results = page.getByRole('region', { name: 'Results' })
    this.responseStatus = this.results.getByTestId('response-status')
    this.chosenCorpora = page.getByRole('list', { name: 'Chosen corpora' })
  }

  /** Goes to the Playground through the main navigation. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Playground' }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Playground')
  }

  /** Picks a key the app knows, by (part of) its name. */
  async chooseKey(name: string | RegExp): Promise<void> {
    await this.keyPicker.click()
    await this.page.getByRole('option', { name }).click()
    await expect(this.keyPicker).toContainText(name)
  }

  /** Adds a corpus to the query (one already chosen, e.g. the key's own, stays chosen). */
  async chooseCorpus(name: RegExp): Promise<void> {
    if (await this.chosenCorpora.getByRole('listitem').filter({ hasText: name }).count()) return
    await this.page.getByLabel('Corpora', { exact: true }).click()
    await this.page.getByRole('option', { name }).click()
    await this.page.keyboard.press('Escape')
  }

  /** Removes a chosen corpus by its chip. */
  async removeCorpus(name: string): Promise<void> {
    await this.chosenCorpora.getByRole('button', { name: `Remove ${name}` }).click()
  }

  /** Opens the Code tabs (as "Show code" does) and copies one language's snippet. */
  async copyCode(language: 'JavaScript' | 'Python' | 'cURL' | 'Python SDK'): Promise<void> {
    await this.page.getByRole('button', { name: 'Show code' }).click()
    const tabs = this.page.getByRole('tablist', { name: 'Code' })
    await tabs.getByRole('tab', { name: language, exact: true }).click()
    await this.page
      .getByRole('tabpanel', { name: language, exact: true })
      .getByRole('button', { name: 'Copy' })
      .click()
    await expect(
      this.page
        .getByRole('status')
        .filter({ hasText: `Copied the ${language} code` })
        .last()
    ).toBeVisible()
  }

  /** Sets the Stream switch under Options, leaving Options closed. */
  async setStream(on: boolean): Promise<void> {
    const options = this.page.getByRole('button', { name: /^Options/ })
    if ((await options.getAttribute('aria-expanded')) !== 'true') await options.click()
    const stream = this.page.getByRole('switch', { name: 'Stream' })
    if ((await stream.getAttribute('aria-checked')) !== String(on)) await stream.click()
    await options.click()
  }

  /** Sends the query (a new text first, when given); the caller checks what came back. */
  async run(query?: string): Promise<void> {
    if (query !== undefined) await this.queryBox.fill(query)
    await this.page.getByRole('button', { name: 'Send' }).click()
  }
}
