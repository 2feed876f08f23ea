import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { h } from 'vue'
import ConfirmDialog from '@renderer/components/ConfirmDialog.vue'
import FormField from '@renderer/components/FormField.vue'
import { accessibleName, byRole } from './fixtures'

enableAutoUnmount(afterEach)

/** A FormField around a plain input that binds the wiring it is handed. */
function field(props: Record<string, unknown>, slots: Record<string, () => unknown> = {}) {
  return mount(FormField, {
    props: { id: 'f-name', label: 'Name', ...props },
    slots: {
      default: (wiring: { id: string; describedby?: string; invalid?: 'true' }) =>
        h('input', {
          id: wiring.id,
          'aria-describedby': wiring.describedby,
          'aria-invalid': wiring.invalid
        }),
      ...slots
    },
    attachTo: document.body
  })
}

function describedBy(input: HTMLElement): string[] {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`)
}

describe('FormField', () => {
  it('names its control with the label and describes it with the hint', () => {
    field({ hint: 'Lowercase letters and dashes.' })
    const input = document.getElementById('f-name')!
    expect(accessibleName(input)).toBe('Name')
    expect(describedBy(input)).toEqual(['Lowercase letters and dashes.'])
    expect(input.getAttribute('aria-invalid')).toBeNull()
  })

  it('marks the control invalid and reads the error before the hint', () => {
    field({ hint: 'Lowercase letters and dashes.', error: 'Enter a name' })
    const input = document.getElementById('f-name')!
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(input)).toEqual(['Enter a name', 'Lowercase letters and dashes.'])
    expect(document.getElementById('f-name-error')!.textContent).toBe('Enter a name')
  })

  it('hands a native control the same wiring in one object, for v-bind', () => {
    mount(FormField, {
      props: { id: 'f-url', label: 'Token URL', hint: 'https only.', error: 'Use https' },
      slots: {
        default: (wiring: { control: Record<string, unknown> }) => h('input', wiring.control)
      },
      attachTo: document.body
    })
    const input = document.getElementById('f-url')!
    expect(accessibleName(input)).toBe('Token URL')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(input)).toEqual(['Use https', 'https only.'])
  })

  it('describes nothing when there is neither hint nor error', () => {
    field({})
    expect(document.getElementById('f-name')!.hasAttribute('aria-describedby')).toBe(false)
  })

  it('takes a rich hint and label from slots', () => {
    field(
      {},
      {
        label: () => ['Type ', h('code', 'web'), ' to confirm'],
        hint: () => ['Starts with ', h('code', 'zut_')]
      }
    )
    const input = document.getElementById('f-name')!
    expect(accessibleName(input)).toBe('Type web to confirm')
    expect(describedBy(input)).toEqual(['Starts with zut_'])
  })

  it('labels a group by id, for a radio group that has no single control to point at', () => {
    const wrapper = mount(FormField, {
      props: { id: 'f-access', label: 'Access', group: true },
      slots: {
        default: (wiring: { labelledby: string }) =>
          h('div', { role: 'radiogroup', 'aria-labelledby': wiring.labelledby })
      },
      attachTo: document.body
    })
    expect(wrapper.find('label').exists()).toBe(false)
    expect(accessibleName(byRole('radiogroup')[0]!)).toBe('Access')
  })

  it('puts a checkbox before its label and hint inline', () => {
    const wrapper = mount(FormField, {
      props: {
        id: 'f-keep',
        label: 'Keep it',
        hint: 'Otherwise stored nowhere.',
        layout: 'inline'
      },
      slots: {
        default: (wiring: { id: string; describedby?: string }) =>
          h('input', { type: 'checkbox', id: wiring.id, 'aria-describedby': wiring.describedby })
      },
      attachTo: document.body
    })
    const box = document.getElementById('f-keep')!
    expect(wrapper.element.firstElementChild).toBe(box)
    expect(accessibleName(box)).toBe('Keep it')
    expect(describedBy(box)).toEqual(['Otherwise stored nowhere.'])
  })
})

describe('ConfirmDialog', () => {
  function open(props: Record<string, unknown> = {}) {
    return mount(ConfirmDialog, {
      props: {
        open: true,
        title: 'Remove Staging?',
        description: 'The app forgets this account.',
        confirmLabel: 'Remove account',
        ...props
      },
      slots: { default: () => h('input', { id: 'cd-field', 'aria-label': 'Field' }) },
      attachTo: document.body
    })
  }

  function buttonNamed(name: string): HTMLButtonElement {
    return [...document.querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => accessibleName(b) === name
    )!
  }

  it('is an alert dialog named by its title, and focuses Cancel, the safe choice', async () => {
    open()
    await flushPromises()
    const dialog = byRole('alertdialog')[0]!
    expect(dialog.querySelector('h2')!.textContent).toBe('Remove Staging?')
    await expect.poll(() => document.activeElement).toBe(buttonNamed('Cancel'))
  })

  it('focuses the field it is told to instead', async () => {
    open({ initialFocus: 'cd-field' })
    await flushPromises()
    await expect.poll(() => document.activeElement?.id).toBe('cd-field')
  })

  it('confirms with its button, or Enter in a field, only when allowed', async () => {
    const wrapper = open({ canConfirm: false })
    await flushPromises()
    expect(buttonNamed('Remove account').disabled).toBe(true)
    document.getElementById('cd-field')!.closest('form')!.requestSubmit()
    expect(wrapper.emitted('confirm')).toBeUndefined()
    await wrapper.setProps({ canConfirm: true })
    document.getElementById('cd-field')!.closest('form')!.requestSubmit()
    expect(wrapper.emitted('confirm')).toHaveLength(1)
  })

  it('cannot be cancelled while the work runs, and shows a failure inside', async () => {
    const wrapper = open({ busy: true })
    await flushPromises()
    expect(buttonNamed('Cancel').disabled).toBe(true)
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(wrapper.emitted('cancel')).toBeUndefined()
    await wrapper.setProps({
      busy: false,
      problem: { title: 'The account was not removed.', detail: 'The keychain is locked.' }
    })
    expect(byRole('alert')[0]!.textContent).toContain('The keychain is locked.')
    // Once it is done, Escape and Cancel both cancel.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    buttonNamed('Cancel').click()
    expect(wrapper.emitted('cancel')).toHaveLength(2)
  })
})
