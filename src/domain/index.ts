export * from './belief.js';
export * from './calendar.js';
export * from './dates.js';
export * from './draw.js';
export * from './eras.js';
export * from './errors.js';
export * from './prizes.js';
export * from './ticket.js';
