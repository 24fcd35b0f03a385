/**
 * @moat/contracts: the one definition of every shape that crosses a plugin boundary. Types
 * and tiny constants only (the browser tracker imports types from here too).
 */
export * from './catalog';
export * from './crm';
export * from './services';
export * from './touchpoints';
