import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { config as zodConfig } from 'zod'
import App from './App.vue'
import { createAppRouter } from './router'
import './assets/main.css'

// The CSP forbids eval; without this zod probes `new Function` and the page logs a violation.
zodConfig({ jitless: true })

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')
