import { crashScenario } from './crash-scenario.js';

crashScenario(500, 1_200_000);
