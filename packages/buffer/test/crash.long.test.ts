import { crashScenario } from './crash-scenario.js';

crashScenario(1_000, 1_800_000);
