import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.js';
import { initI18n } from '../shared/i18n.js';
import { portal } from './locales.js';
import { Portal } from './Portal.js';

initI18n(portal);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
