export * from './faults'
export * from './rng'
export * from './server'
export * from './types'
