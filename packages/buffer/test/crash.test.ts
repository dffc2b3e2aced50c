import { crashScenario } from './crash-scenario.js';

crashScenario(50, 120_000);
