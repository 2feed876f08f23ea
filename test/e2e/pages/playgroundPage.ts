import { expect, type Locator, type Page } from '@playwright/test'

/** The Playground as a user works it: the steps its tests repeat (see KeysPage). */
export class PlaygroundPage {
  readonly keyPicker: Locator
  readonly queryBox: Locator
  readonly results: Locator
  readonly responseStatus: Locator

  constructor(readonly page: Page) {
    this.keyPicker = page.getByLabel('API key')
    this.queryBox = page.getByLabel('Query', { exact: true })
    this.results = page.getByRole('region', { name: 'Results' })
    this.responseStatus = this.results.getByTestId('response-status')
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

  /** Adds a corpus to the query. */
  async chooseCorpus(name: RegExp): Promise<void> {
    await this.page.getByLabel('Corpora', { exact: true }).click()
    await this.page.getByRole('option', { name }).click()
    await this.page.keyboard.press('Escape')
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
