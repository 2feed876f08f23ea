import { expect, type Locator, type Page } from '@playwright/test'

/** The Health view as a user works it: its findings, their fixes, and the coverage map. */
export class HealthPage {
  readonly findings: Locator
  readonly coverage: Locator

  constructor(readonly page: Page) {
    this.findings = page.getByRole('list', { name: 'Findings' })
    this.coverage = page.getByRole('table', { name: 'Coverage' })
  }

  /** Goes to Health through the main navigation and waits for the check to answer. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Health' }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Health')
    await this.settled()
  }

  /** The findings (or "No risky keys") are on screen and no refresh is running. */
  async settled(): Promise<void> {
    await expect(
      this.findings.or(this.page.getByRole('heading', { name: 'No risky keys' }))
    ).toBeVisible()
    await expect(
      this.page.getByRole('button', { name: 'Refresh', exact: true })
    ).not.toHaveAttribute('aria-busy')
  }

  /** Fetches the key lists again and checks again. */
  async refresh(): Promise<void> {
    await this.page.getByRole('button', { name: 'Refresh', exact: true }).click()
    await this.settled()
  }

  /** The open finding about `subject` (a key or corpus name) whose title matches. */
  finding(subject: string, title: RegExp | string): Locator {
    return this.findings
      .getByRole('listitem', { name: new RegExp(`^${escape(subject)}: `) })
      .filter({ hasText: title })
  }

  async openCoverage(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Coverage' }).click()
    await expect(this.coverage).toBeVisible()
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
