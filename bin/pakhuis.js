#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx pakhuis` works from a clone without a compile step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
