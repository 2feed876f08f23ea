import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router'

// Hash history: the app is served from app://vkm/index.html, so paths must never hit the protocol.
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/keys' },
  {
    path: '/keys',
    name: 'keys',
    component: () => import('../views/KeysView.vue'),
    meta: { title: 'Keys' }
  },
  {
    path: '/playground',
    name: 'playground',
    component: () => import('../views/PlaygroundView.vue'),
    meta: { title: 'Playground' }
  },
  {
    path: '/usage',
    name: 'usage',
    component: () => import('../views/UsageView.vue'),
    meta: { title: 'Usage' }
  },
  {
    path: '/scan',
    name: 'scan',
    component: () => import('../views/ScanView.vue'),
    meta: { title: 'Scan' }
  },
  {
    path: '/health',
    name: 'health',
    component: () => import('../views/HealthView.vue'),
    meta: { title: 'Health' }
  },
  {
    path: '/accounts',
    name: 'accounts',
    component: () => import('../views/AccountsView.vue'),
    meta: { title: 'Accounts' }
  },
  { path: '/:pathMatch(.*)*', redirect: '/keys' }
]

export function createAppRouter(): Router {
  return createRouter({ history: createWebHashHistory(), routes })
}
