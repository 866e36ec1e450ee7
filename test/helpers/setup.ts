import { beforeEach } from 'vitest';
import { testClock } from './clock.js';

// every test starts on the real time; one that needs an instant sets it
beforeEach(() => testClock.reset());
