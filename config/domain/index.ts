/**
 * The domain rules of the federation, each one function stated once: config validation (config/semantic.ts),
 * stacks, constructs and checks call these instead of restating a rule.
 */
export * from './zones';
export * from './pillars';
export * from './products';
export * from './matrix';
export * from './processors';
export * from './data-protection';
