export { findMosquitto, mosquittoAvailable } from './mosquitto-gate.js';
