// Argo CD, read-only: an Application's sync, health and images, and the pure gate a promotion passes through.
export { applicationHealth, applicationUrl, ArgoCdError, APPLICATION_MAX_BYTES, type ApplicationHealth, type ApplicationHealthOptions } from './health.js';
export { healthGate, runsPinnedImage, type GateResult, type HealthStatus } from './gate.js';
