import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './locales.js';

export type Lang = 'nl' | 'en';
const KEY = 'datapakhuis.lang';

/** The language: `?lang=` in the address (a shared link keeps it), else the last choice, else Dutch. */
export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'nl') return fromUrl;
  return window.localStorage.getItem(KEY) === 'en' ? 'en' : 'nl';
}

/**
 * i18next with Dutch as the default and English available. Each face adds its own texts to the
 * shared ones (one namespace, `translation`), so a key is defined once per language.
 */
export function initI18n(face: { nl: Record<string, unknown>; en: Record<string, unknown> }): typeof i18next {
  const resources: Resource = {
    nl: { translation: { ...common.nl, ...face.nl } },
    en: { translation: { ...common.en, ...face.en } },
  };
  const lng = initialLang();
  void i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'nl',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (l) => {
    document.documentElement.lang = l;
    window.localStorage.setItem(KEY, l);
  });
  return i18next;
}
