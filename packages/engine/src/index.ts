// The public API of Nagare's pure core. Everything here runs without I/O: callers pass in
// text, time and ids, and get back values.
export {};
