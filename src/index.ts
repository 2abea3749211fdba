// Action entry point (runs.main). Only wiring: see main.ts.
import { run } from './main.js';

await run();
