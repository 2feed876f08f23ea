import { expect, type Locator, type Page } from '@playwright/test'

/** The Scan view as a user works it: folders, options, Scan and Cancel, the Findings table. */
export class ScanPage {
  readonly findings: Locator
  readonly folders: Locator
  readonly progress: Locator

  constructor(readonly page: Page) {
    this.findings = page.getByRole('table', { name: 'Findings' })
    this.folders = page.getByRole('list', { name: 'Folders to scan' })
    this.progress = page.getByRole('progressbar', { name: 'Scan progress' })
  }

  /** Goes to Scan through the main navigation and waits for its state. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Scan' }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Scan')
    await expect(this.page.getByRole('textbox', { name: 'Folder' })).toBeEnabled()
  }

  /** The web harness has no folder picker: the path goes in the "Folder" text box. */
  async addFolder(path: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Folder' }).fill(path)
    await this.page.getByRole('button', { name: 'Add folder' }).click()
  }

  /** The id of the last scan that ended, as the page shows it ('' before the first). */
  async lastScanId(): Promise<string> {
    return (await this.page.locator('[data-last-scan]').getAttribute('data-last-scan')) ?? ''
  }

  /** Presses Scan and waits for that scan to end. */
  async scan(): Promise<void> {
    const before = await this.lastScanId()
    await this.page.getByRole('button', { name: 'Scan', exact: true }).click()
    await expect(this.page.locator('[data-last-scan]')).not.toHaveAttribute(
      'data-last-scan',
      before,
      { timeout: 30_000 }
    )
    await expect(this.progress).toBeHidden()
  }

  /** The row of a finding in a file whose path ends with `file`. */
  row(file: string): Locator {
    return this.findings.getByRole('row').filter({ hasText: file })
  }
}
