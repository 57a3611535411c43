export { detectAbuse, type AbuseLevel, type AbuseResult } from './detect-abuse';
export { assessFrustration, frustrationScore, type Frustration } from './frustration';
