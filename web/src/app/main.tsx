import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.js';
import { initI18n } from '../shared/i18n.js';
import './app.css';
import { App } from './App.js';
import { app } from './locales.js';

initI18n(app);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
