import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { createAppClient } from '@renderer/api/appClient'
import { useDesktopNotifications } from '@renderer/composables/useDesktopNotifications'
import { useToastsStore } from '@renderer/stores/toasts'
import { setup } from '../fixtures'

describe('notifications without an OS notification centre', () => {
  it('shows main’s app.notification as a toast, until the shell goes', () => {
    const { bridge, emit } = setup()
    const Shell = defineComponent({
      setup() {
        useDesktopNotifications(createAppClient(bridge))
        return () => null
      }
    })
    const wrapper = mount(Shell)
    emit('app.notification', {
      title: 'Key expires in 14 days',
      body: '“website-search” (Sandbox) expires on 12 March 2026.'
    })
    expect(useToastsStore().toasts).toEqual([
      expect.objectContaining({
        tone: 'warning',
        title: 'Key expires in 14 days',
        detail: '“website-search” (Sandbox) expires on 12 March 2026.'
      })
    ])
    wrapper.unmount()
    emit('app.notification', { title: 'later', body: 'x' })
    expect(useToastsStore().toasts).toHaveLength(1)
  })
})
