// The public API of Nagare's pure core. Everything here runs without I/O: callers pass in
// text, time and ids, and get back values.

export * from './bpmn/index.js';
export * from './expr/index.js';
export * from './time/index.js';
