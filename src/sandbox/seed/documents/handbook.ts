import type { SeedDocument } from './types'

/**
 * Kestrel Lantern Co. is a fictional maker of rechargeable camping lanterns, invented for the
 * Sandbox. Every sentence here was written for this project.
 */
const en = { lang: 'eng' }

export const handbookDocuments: SeedDocument[] = [
  {
    type: 'structured',
    id: 'leave-policy',
    title: 'Leave and time off',
    metadata: { year: 2025, category: 'benefits' },
    sections: [
      {
        title: 'Annual leave',
        text: 'Every Kestrel employee starts with 27 days of paid annual leave per calendar year, plus the public holidays of their home office. Up to five unused days carry over into the first quarter of the next year. Leave requests go through the People portal at least two weeks ahead for anything longer than three days.',
        metadata: en
      },
      {
        title: 'Parental leave',
        text: 'Parents receive 20 weeks of fully paid parental leave, whether they give birth, adopt or foster. The leave can be split into up to three blocks within the first two years. Your manager and the People team will plan a phased return with reduced hours for the first month back.',
        metadata: en
      },
      {
        title: 'Sick leave',
        text: 'Sick days are not counted against annual leave and there is no fixed yearly cap. For absences longer than five working days we ask for a note from a doctor. If you feel unwell, tell your manager before your first scheduled meeting of the day.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'remote-work',
    title: 'Remote and hybrid work',
    metadata: { year: 2025, category: 'workplace' },
    sections: [
      {
        title: 'Where you can work',
        text: 'Most roles at Kestrel are hybrid: two anchor days a week in the Harwick workshop and the rest wherever you work best. Fully remote contracts are available for software, support and finance roles. Working from another country for more than 30 days needs approval from People Operations because of tax rules.',
        metadata: en
      },
      {
        title: 'Home office budget',
        text: 'Remote and hybrid staff can claim a one-off home office budget of 600 euros for a desk, a chair or a monitor. A monthly allowance of 35 euros covers internet and electricity. Receipts are submitted through the expenses tool like any other claim.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'expenses',
    title: 'Expenses and reimbursement',
    metadata: { year: 2024, category: 'finance' },
    sections: [
      {
        title: 'Submitting a claim',
        text: 'Submit expenses within 60 days of the purchase, with a photo of the receipt attached. Claims are reimbursed with the next payroll run after your manager approves them. Purchases above 250 euros need approval before you buy.',
        metadata: en
      },
      {
        title: 'What is covered',
        text: 'Work travel, team meals during offsites, training courses and tools for your role are covered. Alcohol is reimbursed only at company events that the leadership team has announced. Personal items, fines and upgrades to first class travel are never covered.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'travel',
    title: 'Business travel',
    metadata: { year: 2024, category: 'finance' },
    sections: [
      {
        title: 'Booking',
        text: 'Book trains for any journey under five hours; flights need a short justification in the travel tool. Hotels should stay within the nightly limit shown for each city. Kestrel pays for travel insurance automatically, so there is no need to buy your own.',
        metadata: en
      },
      {
        title: 'On the road',
        text: 'A daily meal allowance of 45 euros applies on travel days. If plans change, cancel bookings as early as you can, because most of our hotel rates are refundable only until the day before arrival.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'onboarding',
    title: 'Your first weeks',
    metadata: { year: 2025, category: 'onboarding' },
    sections: [
      {
        title: 'Before day one',
        text: 'Your laptop ships to your home a week before you start, already enrolled in device management. You will receive a welcome email with your account name and a link to set your password. Bring an identity document on your first day for the payroll paperwork.',
        metadata: en
      },
      {
        title: 'The first month',
        text: 'Each new colleague is paired with an onboarding buddy from another team. In week two you will assemble a Trailglow lantern on the workshop bench, because everyone at Kestrel should know how the product is built. By the end of the first month you and your manager agree on goals for the next quarter.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'security-basics',
    title: 'Security basics',
    metadata: { year: 2025, category: 'security' },
    sections: [
      {
        title: 'Accounts and passwords',
        text: 'Use the company password manager for every work account and never reuse a password. Multi-factor authentication with a hardware key is required for email, source code and the finance systems. If you lose your hardware key, report it to the IT desk the same day.',
        metadata: en
      },
      {
        title: 'Handling API keys',
        text: 'API keys are secrets and must never be pasted into chat, tickets or documents. Store them in the team vault and give each integration its own key, so one can be disabled without breaking the others. Rotate any key that may have been exposed, then delete the old one once nothing uses it.',
        metadata: en
      },
      {
        title: 'Reporting incidents',
        text: 'Report suspicious emails with the phishing button in your mail client. If you think a device or account has been compromised, call the security hotline at any hour rather than waiting for office time.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'code-of-conduct',
    title: 'Code of conduct',
    metadata: { year: 2023, category: 'workplace' },
    sections: [
      {
        title: 'How we treat each other',
        text: 'We expect everyone at Kestrel to be respectful, honest and kind, in the workshop, online and at customer events. Harassment or discrimination of any kind leads to disciplinary action, up to dismissal. Disagree about ideas openly, but never make it personal.',
        metadata: en
      },
      {
        title: 'Raising concerns',
        text: 'You can raise a concern with your manager, with People Operations or anonymously through the ethics line. Nobody will face retaliation for reporting a concern in good faith.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'performance-reviews',
    title: 'Performance and growth',
    metadata: { year: 2024, category: 'growth' },
    sections: [
      {
        title: 'Review cycle',
        text: 'Performance conversations happen twice a year, in March and September. Each review combines a self assessment, feedback from two peers and your manager’s summary. Salary changes are decided once a year after the March cycle.',
        metadata: en
      },
      {
        title: 'Learning budget',
        text: 'Every employee has a learning budget of 1,200 euros a year for courses, books and conferences. You may also spend four working days a year on learning without using annual leave.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'equipment',
    title: 'Laptops and equipment',
    metadata: { year: 2025, category: 'workplace' },
    sections: [
      {
        title: 'Standard kit',
        text: 'Engineers receive a laptop with 32 GB of memory; everyone else receives a 16 GB model. Laptops are replaced every four years, or sooner if repairs would cost more than half of a new one. Keep the device encrypted and never disable the endpoint protection agent.',
        metadata: en
      },
      {
        title: 'Leaving Kestrel',
        text: 'When you leave, return your laptop, hardware key and badge on your last day. The IT desk sends a prepaid shipping box to remote colleagues.',
        metadata: en
      }
    ]
  },
  {
    type: 'structured',
    id: 'benefits-overview',
    title: 'Benefits overview',
    metadata: { year: 2025, category: 'benefits' },
    sections: [
      {
        title: 'Health and wellbeing',
        text: 'Kestrel pays for private health insurance for employees and their children. A wellbeing allowance of 40 euros a month can go towards a gym, a climbing wall or therapy sessions. Every employee also gets a free Trailglow lantern each year, because we like to see our work outdoors.',
        metadata: en
      },
      {
        title: 'Pension',
        text: 'The company matches pension contributions up to six percent of your salary. You can change your contribution rate once per quarter in the payroll portal.',
        metadata: en
      }
    ]
  },
  {
    type: 'core',
    id: 'handbook-de-urlaub',
    metadata: { year: 2025, category: 'benefits' },
    document_parts: [
      {
        text: 'Alle Mitarbeitenden erhalten 27 bezahlte Urlaubstage pro Kalenderjahr.',
        metadata: { lang: 'deu' }
      },
      {
        text: 'Bis zu fünf nicht genommene Urlaubstage können ins erste Quartal des Folgejahres übertragen werden.',
        metadata: { lang: 'deu' }
      },
      { text: 'Eltern erhalten 20 Wochen voll bezahlte Elternzeit.', metadata: { lang: 'deu' } }
    ]
  }
]
